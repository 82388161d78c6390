using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Scheduling;

/// <summary>
/// What the scheduler ranks nodes for: one replica of a job, and nodes to leave out (already refused).
/// </summary>
[GenerateSerializer, Immutable, Alias("placement-request")]
public sealed record PlacementRequest(
    [property: Id(0)] string TaskId,
    [property: Id(1)] JobSpec Spec,
    [property: Id(2)] IReadOnlyList<string> ExcludedNodes);
