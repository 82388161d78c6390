using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>A job's persisted state: the desired spec and its versions, and which task fills each replica slot.</summary>
[GenerateSerializer, Immutable, Alias("job-state")]
public sealed record JobState
{
    /// <summary>Null until the job is first submitted.</summary>
    [Id(0)] public JobSpec? Spec { get; init; }
    [Id(1)] public JobStatus Status { get; init; }
    /// <summary>Replica slot → the task filling it now.</summary>
    [Id(2)] public ImmutableSortedDictionary<int, string> Slots { get; init; } = ImmutableSortedDictionary<int, string>.Empty;
    /// <summary>Every task of the job, newest first, bounded by <see cref="JobHistory.MaxTasks"/>.</summary>
    [Id(3)] public ImmutableList<string> History { get; init; } = ImmutableList<string>.Empty;
    /// <summary>When the spec, status or slots last changed; a stopped job is removed a retention after its stop.</summary>
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>
    /// Task → when it gave up its slot, for every task in <see cref="History"/> that holds none: the job prunes by
    /// these times without asking each task.
    /// </summary>
    [Id(5)] public ImmutableDictionary<string, DateTimeOffset> Released { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty;
    /// <summary>
    /// Replica slot → the new task started beside the slot's task while a rollout replaces it; it takes the slot over
    /// once it counted (<see cref="Rollout.RolloutPlanner"/>).
    /// </summary>
    [Id(6)] public ImmutableSortedDictionary<int, string> Surge { get; init; } = ImmutableSortedDictionary<int, string>.Empty;
    /// <summary>The job's versions, oldest first, the one rolled out last; at most <see cref="Rollout.JobVersions.Kept"/>.</summary>
    [Id(7)] public ImmutableList<JobVersion> Versions { get; init; } = ImmutableList<JobVersion>.Empty;
    /// <summary>A batch job's replica slot → its reschedules so far (<see cref="Batch.BatchRules"/>).</summary>
    [Id(8)] public ImmutableSortedDictionary<int, Batch.SlotAttempts> Attempts { get; init; } = ImmutableSortedDictionary<int, Batch.SlotAttempts>.Empty;

    /// <summary>Every task a slot holds: the slot's own and the new ones started beside them.</summary>
    public HashSet<string> Holders() => Slots.Values.Concat(Surge.Values).ToHashSet(StringComparer.Ordinal);
}
