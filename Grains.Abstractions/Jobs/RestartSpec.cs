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
    /// <summary>
    /// A batch task that failed on its node is tried again on another node this many times before its replica ends
    /// Failed; null takes <see cref="SpecLimits.DefaultReschedules"/>. Batch jobs only.
    /// </summary>
    [Id(3)] public int? Reschedules { get; init; }
}
