using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// One task on a node's ledger. An active entry holds its resources; an ended one holds nothing but
/// keeps its container around so its logs can still be read.
/// </summary>
[GenerateSerializer, Immutable, Alias("ledger-entry")]
public sealed record LedgerEntry
{
    [Id(0)] public required string TaskId { get; init; }
    [Id(1)] public required string Job { get; init; }
    [Id(2)] public required ResourceSpec Resources { get; init; }
    [Id(3)] public IReadOnlyList<int> HostPorts { get; init; } = [];
    [Id(4)] public string? ContainerId { get; init; }
    [Id(5)] public bool Active { get; init; } = true;
    /// <summary>The job's health check, so the node checks a container it re-adopts without asking the task.</summary>
    [Id(6)] public HealthSpec? Health { get; init; }
    /// <summary>The job's <c>stopGraceSeconds</c>: how long a stop of its container waits after SIGTERM before SIGKILL.</summary>
    [Id(7)] public int StopGraceSeconds { get; init; } = SpecLimits.DefaultStopGraceSeconds;
}
