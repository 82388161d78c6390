using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>Everything <see cref="RolloutPlanner"/> decides from: the job's slots, its latest version and how it rolls out, and the time.</summary>
public sealed record RolloutInput
{
    public required IReadOnlyList<RolloutSlot> Slots { get; init; }
    /// <summary>The replicas wanted; 0 for a stopped job.</summary>
    public int Replicas { get; init; }
    /// <summary>The latest version's number, the one rolled out.</summary>
    public int Version { get; init; }
    public JobVersionStatus Status { get; init; }
    public required UpdateSpec Update { get; init; }
    /// <summary>The latest earlier version that was fully healthy, to roll back to; null when there is none.</summary>
    public int? LastHealthy { get; init; }
    public DateTimeOffset Now { get; init; }
    /// <summary>
    /// A batch job: a replica that failed is the batch outcome's business (<see cref="Batch.BatchRules"/> reschedules it or
    /// fails the job), not a failed version, and a replica that ended either way is done with the version.
    /// </summary>
    public bool Batch { get; init; }
}
