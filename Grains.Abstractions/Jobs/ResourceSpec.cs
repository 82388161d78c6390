namespace Orchestrator.Abstractions.Jobs;

/// <summary>What one replica reserves on its node.</summary>
[GenerateSerializer, Immutable, Alias("resource-spec")]
public sealed record ResourceSpec
{
    /// <summary>Cores; the engine's minimum is 0.01.</summary>
    [Id(0)] public double Cpu { get; init; } = 0.1;
    /// <summary>Megabytes; the engine's minimum is 6.</summary>
    [Id(1)] public long MemoryMb { get; init; } = 64;
}
