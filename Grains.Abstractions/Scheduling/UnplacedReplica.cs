namespace Orchestrator.Abstractions.Scheduling;

/// <summary>A replica the plan could not place, with every node's reason.</summary>
[GenerateSerializer, Immutable, Alias("unplaced-replica")]
public sealed record UnplacedReplica(
    [property: Id(0)] int Replica,
    [property: Id(1)] IReadOnlyList<string> Reasons);
