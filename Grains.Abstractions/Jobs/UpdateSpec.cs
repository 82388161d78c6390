namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// How a new version of a job replaces the replicas of the old one (the job file's <c>update</c> block): a few at a
/// time, each new replica started beside the old one it replaces and counted only once it stayed Running and Healthy
/// for a while.
/// </summary>
[GenerateSerializer, Immutable, Alias("update-spec")]
public sealed record UpdateSpec
{
    /// <summary>Replicas replaced at once; the job keeps at least <c>replicas − maxParallel</c> of them available.</summary>
    [Id(0)] public int MaxParallel { get; init; } = 1;
    /// <summary>How long a new replica must stay Running (and Healthy, with a health check) before it counts.</summary>
    [Id(1)] public double MinHealthySeconds { get; init; } = 10;
    /// <summary>A new replica not counted this long after it was created fails the deployment.</summary>
    [Id(2)] public double HealthyDeadlineSeconds { get; init; } = 300;
    /// <summary>A failed deployment rolls back, the same way, to the last version that was fully healthy.</summary>
    [Id(3)] public bool AutoRevert { get; init; }
}
