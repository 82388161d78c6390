namespace Orchestrator.Abstractions.Jobs;

/// <summary>What happens when a task's container ends or turns unhealthy.</summary>
[GenerateSerializer, Immutable, Alias("restart-spec")]
public sealed record RestartSpec
{
    /// <summary><c>always</c>, <c>on-failure</c> or <c>never</c>.</summary>
    [Id(0)] public string Policy { get; init; } = RestartPolicies.OnFailure;
    [Id(1)] public int MaxRestarts { get; init; } = 3;
    /// <summary>The first delay; it doubles per restart, capped at 300 s.</summary>
    [Id(2)] public double BackoffSeconds { get; init; } = 1;
}
