namespace Orchestrator.Abstractions.Jobs;

/// <summary>A job's desired spec and the ids of its tasks, newest first.</summary>
[GenerateSerializer, Immutable, Alias("job-info")]
public sealed record JobInfo
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required JobSpec Spec { get; init; }
    [Id(2)] public JobStatus Status { get; init; }
    /// <summary>Every task of the job still remembered, live and ended, newest first.</summary>
    [Id(3)] public IReadOnlyList<string> TaskIds { get; init; } = [];
    /// <summary>The tasks filling replica slots now.</summary>
    [Id(4)] public IReadOnlyList<string> LiveTaskIds { get; init; } = [];
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The latest version's number; 0 for a job submitted before versions were kept.</summary>
    [Id(20)] public int Version { get; init; }
    /// <summary>The versions the job keeps, oldest first.</summary>
    [Id(21)] public IReadOnlyList<JobVersion> Versions { get; init; } = [];
    /// <summary>Where the latest version's rollout stands; null until the job reconciled since it was activated.</summary>
    [Id(22)] public RolloutProgress? Rollout { get; init; }
    /// <summary>A batch job's outcome; null for a service job.</summary>
    [Id(23)] public BatchOutcome? Batch { get; init; }
    /// <summary>A scheduled job's runs and next time; null for a job without a schedule.</summary>
    [Id(24)] public ScheduleProgress? Schedule { get; init; }
}
