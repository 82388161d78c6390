namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// A piece of a container's output as the engine delivered it: not necessarily whole lines, but never
/// a split character.
/// </summary>
[GenerateSerializer, Immutable, Alias("log-chunk")]
public sealed record LogChunk([property: Id(0)] LogSource Source, [property: Id(1)] string Text);
