using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// What a job hands a new task: its job, its replica slot, the spec to run, and the node the job's
/// plan chose for it, tried first, so the replicas of one submission spread (or pack) as a whole.
/// </summary>
[GenerateSerializer, Immutable, Alias("task-assignment")]
public sealed record TaskAssignment(
    [property: Id(0)] string Job,
    [property: Id(1)] int Slot,
    [property: Id(2)] JobSpec Spec,
    [property: Id(3)] string? PreferredNode = null);
