namespace Orchestrator.Abstractions.Jobs;

/// <summary>A host path bind-mounted into the container.</summary>
[GenerateSerializer, Immutable, Alias("mount-spec")]
public sealed record MountSpec
{
    [Id(0)] public string Source { get; init; } = "";
    [Id(1)] public string Target { get; init; } = "";
    [Id(2)] public bool ReadOnly { get; init; }
}
