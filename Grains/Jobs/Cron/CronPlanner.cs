using Cronos;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs.Cron;

/// <summary>
/// Decides, from a scheduled job's stored clock and the state of its runs, whether a run is due now. Only the latest
/// time that fell due since the last one dealt with counts: after the cluster was down over several of them, the job
/// runs once, late, as a Kubernetes CronJob does, and never once per missed time.
/// </summary>
public static class CronPlanner
{
    /// <summary>Why a run that fell due is skipped under <see cref="ConcurrencyPolicies.Forbid"/>.</summary>
    public const string StillRunning = "an earlier run still runs (concurrency forbid)";

    /// <param name="cron">The job's schedule.</param>
    /// <param name="since">When the schedule started counting: times before it never run.</param>
    /// <param name="last">The latest time already dealt with (run or skipped); null: none yet.</param>
    /// <param name="now">The current time.</param>
    /// <param name="concurrency">The job's <see cref="ConcurrencyPolicies"/>.</param>
    /// <param name="earlierRunActive">Whether a run of the job has not ended yet.</param>
    public static CronPlan Plan(CronExpression cron, DateTimeOffset since, DateTimeOffset? last, DateTimeOffset now, string concurrency, bool earlierRunActive)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var handled = last is { } l && l > since ? l : since;
        var previous = cron.GetPreviousOccurrence(now.UtcDateTime, inclusive: true);
        DateTimeOffset? due = previous is { } p && p > handled.UtcDateTime ? new DateTimeOffset(p, TimeSpan.Zero) : null;
        var skip = due is not null && earlierRunActive && concurrency == ConcurrencyPolicies.Forbid ? StillRunning : null;
        return new CronPlan(due, skip, Next(cron, now));
    }

    /// <summary>When <paramref name="cron"/> next falls due after <paramref name="now"/>; null: never again.</summary>
    public static DateTimeOffset? Next(CronExpression cron, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cron);
        return cron.GetNextOccurrence(now.UtcDateTime, inclusive: false) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }
}
