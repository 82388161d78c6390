namespace Orchestrator.Abstractions.Jobs;

/// <summary>One accepted change of a job's tasks: its number (1, 2, …), the spec it asked for, and how its rollout went.</summary>
[GenerateSerializer, Immutable, Alias("job-version")]
public sealed record JobVersion
{
    [Id(0)] public int Number { get; init; }
    [Id(1)] public required JobSpec Spec { get; init; }
    [Id(2)] public DateTimeOffset SubmittedAt { get; init; }
    [Id(3)] public JobVersionStatus Status { get; init; }
    /// <summary>Why it failed or was reverted, or which version it rolls back to.</summary>
    [Id(4)] public string? Reason { get; init; }
    /// <summary>When every replica first ran it and counted; null while it never did. Only such a version is rolled back to.</summary>
    [Id(5)] public DateTimeOffset? HealthyAt { get; init; }
}
