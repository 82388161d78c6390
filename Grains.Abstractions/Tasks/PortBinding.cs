namespace Orchestrator.Abstractions.Tasks;

/// <summary>A container port and the host port it is published on.</summary>
[GenerateSerializer, Immutable, Alias("port-binding")]
public sealed record PortBinding([property: Id(0)] int Container, [property: Id(1)] int Host);
