namespace Orchestrator.Bench.Storage;

/// <summary>A grain state of a chosen size, serialized as the orchestrator's own states are.</summary>
[GenerateSerializer, Alias("orch-bench.state")]
public sealed record BenchState
{
    [Id(0)]
    public string Text { get; init; } = "";
}
