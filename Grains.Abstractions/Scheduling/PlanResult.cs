namespace Orchestrator.Abstractions.Scheduling;

/// <summary>The dry run of a job (<c>orch plan</c>): where each replica would go and why, changing nothing.</summary>
[GenerateSerializer, Immutable, Alias("plan-result")]
public sealed record PlanResult
{
    [Id(0)] public required string Job { get; init; }
    [Id(1)] public IReadOnlyList<PlannedPlacement> Placements { get; init; } = [];
    [Id(2)] public IReadOnlyList<UnplacedReplica> Unplaced { get; init; } = [];
}
