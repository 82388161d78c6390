using Cronos;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// A job's <c>schedule</c>: a standard five-field cron expression (minute, hour, day of month, month, day of week),
/// read by Cronos and evaluated in UTC. Each run is a child job named after the minute it fell due
/// (<see cref="RunName"/>), which is what makes a run happen at most once whatever restarts in between.
/// </summary>
public static class CronSchedule
{
    /// <summary>The suffix a run's name adds to its job's: <c>-yyyyMMddHHmm</c>.</summary>
    public const int RunSuffixLength = 13;

    /// <summary>The cron expression, or null when <paramref name="schedule"/> is not a five-field one.</summary>
    public static CronExpression? TryParse(string schedule) =>
        CronExpression.TryParse(schedule, CronFormat.Standard, out var expression) ? expression : null;

    /// <summary>The name of the run of <paramref name="job"/> that fell due at <paramref name="due"/>.</summary>
    public static string RunName(string job, DateTimeOffset due) =>
        $"{job}-{due.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The spec a run of <paramref name="spec"/> is submitted with: the same tasks, no schedule of its own.</summary>
    public static JobSpec RunSpec(JobSpec spec, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with { Name = RunName(spec.Name, due), Schedule = null, Concurrency = null };
    }
}
