namespace Orchestrator.Abstractions.Scheduling;

/// <summary>
/// Why a node was filtered out: <see cref="Reason"/> is the short class used to count ("insufficient
/// cpu"); <see cref="Detail"/> carries the numbers ("insufficient cpu: need 1.5, free 0.5").
/// </summary>
[GenerateSerializer, Immutable, Alias("node-rejection")]
public sealed record NodeRejection(
    [property: Id(0)] string Node,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Detail);
