namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>What an engine's event stream told about one container: how often it started, and its exit codes.</summary>
public sealed record ContainerRun(string Engine, string ContainerId, string TaskId, int Starts, IReadOnlyList<int> ExitCodes);
