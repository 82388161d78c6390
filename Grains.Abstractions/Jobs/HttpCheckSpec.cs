namespace Orchestrator.Abstractions.Jobs;

/// <summary>An HTTP GET on the task's published port; 2xx or 3xx is healthy.</summary>
[GenerateSerializer, Immutable, Alias("http-check-spec")]
public sealed record HttpCheckSpec
{
    [Id(0)] public int Port { get; init; }
    [Id(1)] public string Path { get; init; } = "/";
}
