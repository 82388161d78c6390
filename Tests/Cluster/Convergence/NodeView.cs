namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>One node as <c>orch nodes --json</c> shows it: capacity and the ledger's allocation.</summary>
public sealed record NodeView(string Name, string Status, double Cpus, long MemoryMb, double AllocatedCpu, long AllocatedMemoryMb, int Tasks);
