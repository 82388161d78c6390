namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>What one sweep changes; the node grain applies it, skipping any task that changed meanwhile.</summary>
public sealed record SweepPlan
{
    /// <summary>Containers to remove, by task: strays no ledger entry claims, extra copies, starts never finished.</summary>
    public IReadOnlyList<(string TaskId, string ContainerId)> Remove { get; init; } = [];

    /// <summary>Running containers of ended tasks: they hold nothing any more, so they must not run.</summary>
    public IReadOnlyList<(string TaskId, string ContainerId)> Stop { get; init; } = [];

    /// <summary>Ledger entries whose container is another than the one recorded (a start whose record was lost).</summary>
    public IReadOnlyList<(string TaskId, string ContainerId)> Record { get; init; } = [];

    /// <summary>Ended entries whose container is gone: nothing left to remember.</summary>
    public IReadOnlyList<string> Forget { get; init; } = [];

    /// <summary>Observations owed to tasks.</summary>
    public IReadOnlyList<TaskReport> Reports { get; init; } = [];

    /// <summary>Health checks to start.</summary>
    public IReadOnlyList<HealthWatch> Watch { get; init; } = [];

    /// <summary>Health checks to stop (the container no longer runs).</summary>
    public IReadOnlyList<string> Unwatch { get; init; } = [];

    /// <summary>Live tasks of a draining node, to be moved off it.</summary>
    public IReadOnlyList<string> Displace { get; init; } = [];
}
