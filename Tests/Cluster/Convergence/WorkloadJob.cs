namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>What the workload last asked of one job: its replicas and reservation, or that it be stopped.</summary>
public sealed record WorkloadJob(string Name, JobKind Kind, int Replicas, double Cpu, long MemoryMb, bool Stopped = false);
