using System.Globalization;
using Cronos;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs.Cron;
using Xunit;

namespace Orchestrator.Tests.Jobs.Cron;

/// <summary>When a scheduled job runs, as a table: the stored clock and the time in, the run to start out.</summary>
public sealed class CronPlannerTests
{
    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-12-01T{time}Z", CultureInfo.InvariantCulture);

    private static DateTimeOffset? AtOrNone(string? time) => time is null ? null : At(time);

    public static TheoryData<string, string, string, string?, string, bool, string, string?, bool, string> Cases => new()
    {
        // because, schedule, since, last, now, an earlier run active, concurrency, due, skipped, next
        { "nothing fell due since the job started", "* * * * *", "12:00:30", null, "12:00:50", false, "forbid", null, false, "12:01:00" },
        { "the first minute after the start falls due on the minute", "* * * * *", "12:00:30", null, "12:01:00.050", false, "forbid", "12:01:00", false, "12:02:00" },
        { "a time already dealt with is not run again", "* * * * *", "12:00:30", "12:01:00", "12:01:40", false, "forbid", null, false, "12:02:00" },
        { "after missing many times only the latest runs", "* * * * *", "12:00:30", "12:01:00", "12:10:20", false, "forbid", "12:10:00", false, "12:11:00" },
        { "a time before the job started never runs", "* * * * *", "12:05:10", "12:01:00", "12:05:20", false, "forbid", null, false, "12:06:00" },
        { "every five minutes", "*/5 * * * *", "12:00:00", "12:00:00", "12:07:00", false, "forbid", "12:05:00", false, "12:10:00" },
        { "forbid skips a time while a run is still going", "* * * * *", "12:00:30", "12:01:00", "12:02:01", true, "forbid", "12:02:00", true, "12:03:00" },
        { "allow runs beside a run still going", "* * * * *", "12:00:30", "12:01:00", "12:02:01", true, "allow", "12:02:00", false, "12:03:00" },
        { "a run still going skips nothing when nothing is due", "* * * * *", "12:00:30", "12:02:00", "12:02:30", true, "forbid", null, false, "12:03:00" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string because, string schedule, string since, string? last, string now, bool active, string concurrency, string? due, bool skipped, string next)
    {
        var plan = CronPlanner.Plan(CronExpression.Parse(schedule), At(since), AtOrNone(last), At(now), concurrency, active);

        Assert.True(plan.Due == AtOrNone(due), $"{because}: due {plan.Due}");
        Assert.True(skipped == (plan.Skip is not null), $"{because}: skip '{plan.Skip}'");
        Assert.True(plan.Next == At(next), $"{because}: next {plan.Next}");
    }

    [Fact]
    public void A_run_is_named_after_the_minute_it_fell_due_and_carries_no_schedule()
    {
        var spec = new JobSpec { Name = "backup", Image = "img", Type = JobTypes.Batch, Schedule = "*/5 * * * *", Concurrency = ConcurrencyPolicies.Allow };

        var run = CronSchedule.RunSpec(spec, At("09:05:00"));

        Assert.Equal("backup-202612010905", run.Name);
        Assert.Null(run.Schedule);
        Assert.Null(run.Concurrency);
        Assert.Empty(JobSpecValidator.Validate(run));
    }
}
