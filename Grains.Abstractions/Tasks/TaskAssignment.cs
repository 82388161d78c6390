using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// What a job hands a new task: its job, its replica slot, the spec to run and the job version it belongs to, and where the job's plan placed it
/// (node, score and why, condensed): tried first and without ranking again, so the replicas of one submission
/// spread (or pack) as a whole and are ranked once.
/// </summary>
[GenerateSerializer, Immutable, Alias("task-assignment")]
public sealed record TaskAssignment(
    [property: Id(0)] string Job,
    [property: Id(1)] int Slot,
    [property: Id(2)] JobSpec Spec,
    [property: Id(4)] PlannedPlacement? Planned = null,
    [property: Id(20)] int Version = 0);
