namespace Orchestrator.Abstractions.Scheduling;

/// <summary>A feasible node's score (higher is better) and each scorer's part in it.</summary>
[GenerateSerializer, Immutable, Alias("node-score")]
public sealed record NodeScore(
    [property: Id(0)] string Node,
    [property: Id(1)] double Score,
    [property: Id(2)] IReadOnlyDictionary<string, double> Parts);
