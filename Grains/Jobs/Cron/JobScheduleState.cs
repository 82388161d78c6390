using System.Collections.Immutable;

namespace Orchestrator.Grains.Jobs.Cron;

/// <summary>A scheduled job's clock, persisted: what makes a time that fell due run once, whatever restarts.</summary>
[GenerateSerializer, Immutable, Alias("job-schedule-state")]
public sealed record JobScheduleState
{
    /// <summary>The schedule the clock counts by; a new one starts counting again.</summary>
    [Id(0)] public string? Schedule { get; init; }
    /// <summary>When the clock started counting (the job became active with this schedule); null while the job is stopped.</summary>
    [Id(1)] public DateTimeOffset? Since { get; init; }
    /// <summary>The latest time that fell due and was dealt with.</summary>
    [Id(2)] public DateTimeOffset? Last { get; init; }
    /// <summary>The runs kept, newest first: child job names.</summary>
    [Id(3)] public ImmutableList<string> Runs { get; init; } = [];
    /// <summary>Why <see cref="Last"/> started no run; null when it ran.</summary>
    [Id(4)] public string? Skipped { get; init; }
}
