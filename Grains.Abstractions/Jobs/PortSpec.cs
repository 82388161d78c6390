namespace Orchestrator.Abstractions.Jobs;

/// <summary>A container port to publish; host 0 asks for any free port on the node.</summary>
[GenerateSerializer, Immutable, Alias("port-spec")]
public sealed record PortSpec
{
    [Id(0)] public int Container { get; init; }
    [Id(1)] public int Host { get; init; }
}
