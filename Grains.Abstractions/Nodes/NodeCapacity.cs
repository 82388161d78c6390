namespace Orchestrator.Abstractions.Nodes;

/// <summary>What a node offers: its engine's CPUs and memory.</summary>
[GenerateSerializer, Immutable, Alias("node-capacity")]
public sealed record NodeCapacity([property: Id(0)] double Cpus, [property: Id(1)] long MemoryMb);
