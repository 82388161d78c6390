namespace Orchestrator.Abstractions.Jobs;

/// <summary>Where a scheduled job stands: its runs (child jobs) so far and when the next falls due.</summary>
[GenerateSerializer, Immutable, Alias("schedule-progress")]
public sealed record ScheduleProgress
{
    /// <summary>The runs still kept, newest first: child job names (<see cref="CronSchedule.RunName"/>).</summary>
    [Id(0)] public IReadOnlyList<string> Runs { get; init; } = [];
    /// <summary>The latest time the schedule fell due and was dealt with (run or skipped); null before the first.</summary>
    [Id(1)] public DateTimeOffset? Last { get; init; }
    /// <summary>When the schedule falls due next; null for a stopped job.</summary>
    [Id(2)] public DateTimeOffset? Next { get; init; }
    /// <summary>Why the latest time it fell due started no run (concurrency forbid, a refused spec); null when it ran.</summary>
    [Id(3)] public string? Skipped { get; init; }
}
