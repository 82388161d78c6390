namespace Orchestrator.Abstractions.Jobs;

/// <summary>A health check: exactly one of <see cref="Http"/> or <see cref="Exec"/>.</summary>
[GenerateSerializer, Immutable, Alias("health-spec")]
public sealed record HealthSpec
{
    [Id(0)] public HttpCheckSpec? Http { get; init; }
    [Id(1)] public IReadOnlyList<string>? Exec { get; init; }
    [Id(2)] public double IntervalSeconds { get; init; } = 10;
    [Id(3)] public double TimeoutSeconds { get; init; } = 2;
    [Id(4)] public int FailureThreshold { get; init; } = 3;
}
