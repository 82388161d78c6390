namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// Measured machine figures. Null means unknown (no /proc, say), never an invented number.
/// </summary>
[GenerateSerializer, Immutable, Alias("node-stats")]
public sealed record NodeStats
{
    [Id(0)] public double? CpuPercent { get; init; }
    [Id(1)] public long? MemoryUsedMb { get; init; }
    [Id(2)] public long? MemoryTotalMb { get; init; }
    [Id(3)] public long? DiskFreeMb { get; init; }
    [Id(4)] public double? Load1 { get; init; }
}
