namespace Orchestrator.Abstractions.Scheduling;

/// <summary>A replica the plan could place, the node and its score.</summary>
[GenerateSerializer, Immutable, Alias("planned-placement")]
public sealed record PlannedPlacement(
    [property: Id(0)] int Replica,
    [property: Id(1)] string Node,
    [property: Id(2)] double Score,
    [property: Id(3)] PlacementExplanation Explanation);
