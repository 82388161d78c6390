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
    [property: Id(20)] int Version = 0)
{
    /// <summary>Nodes the task must not be placed on: where its replica already failed (a batch job's reschedule).</summary>
    [Id(21)] public IReadOnlyList<string> ExcludedNodes { get; init; } = [];

    /// <summary>Why the task was created, when it is more than filling its slot (a reschedule); in its first event.</summary>
    [Id(22)] public string? Why { get; init; }
}
