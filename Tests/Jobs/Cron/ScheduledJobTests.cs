using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains;
using Orchestrator.Grains.Jobs.Cron;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs.Cron;

/// <summary>
/// Scheduled jobs through the job, schedule, task and node grains, on an in-process silo with a simulated engine. The
/// silo's clock is the real one shifted, so a test moves it a minute on instead of waiting one; the schedule is woken
/// by hand after each move, as its job's reminder would.
/// </summary>
public sealed class ScheduledJobTests
{
    private const string Name = "backup";

    private static readonly JobSpec Spec = new()
    {
        Name = Name,
        Image = "orch-test/busybox:latest",
        Command = ["sh", "-c", "work"],
        Type = JobTypes.Batch,
        Schedule = "* * * * *",
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        Restart = new RestartSpec { Policy = RestartPolicies.Never, Reschedules = 0 },
    };

    [Fact]
    public async Task A_job_every_minute_runs_once_per_minute_skips_while_a_run_goes_on_catches_up_once_and_stops_its_runs_with_it()
    {
        var clock = new ShiftedClock();
        await using var cluster = await GrainTestCluster.StartAsync(clock: clock);
        var job = cluster.Client.GetJob(Name);
        var schedule = cluster.Client.GetJobSchedule(Name);
        // The silo's clock reads two seconds before a whole minute: the first run falls due without a minute's wait.
        var real = DateTimeOffset.UtcNow;
        var first = new DateTimeOffset(real.Year, real.Month, real.Day, real.Hour, real.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        clock.Offset = first - TimeSpan.FromSeconds(2) - real;

        var submitted = await job.SubmitAsync(Spec);
        Assert.Empty(submitted.TaskIds);

        // On the minute, by the schedule's own timer: the first run.
        var run1 = CronSchedule.RunName(Name, first);
        await ExitAsync(cluster, run1, 0);
        await WaitAsync(cluster, run1, j => j.Batch?.Status == BatchStatus.Succeeded);
        var parent = (await job.GetAsync())!;
        Assert.Equal("Scheduled", Operations.Output.JobStatusText.Of(parent));
        Assert.Equal([run1], parent.Schedule!.Runs);
        Assert.Equal(first.AddMinutes(1), parent.Schedule.Next);
        Assert.Empty(parent.TaskIds);
        Assert.Equal(JobVersionStatus.Current, Assert.Single(parent.Versions).Status);

        // A minute on, woken three times at once: one run.
        clock.Offset += TimeSpan.FromMinutes(1);
        await Task.WhenAll(schedule.WakeAsync(), schedule.WakeAsync(), schedule.WakeAsync());
        var run2 = CronSchedule.RunName(Name, first.AddMinutes(1));
        await cluster.WaitForTasksAsync(run2, t => t.Count == 1 && t[0].State == TaskState.Running);
        Assert.Equal([run2, run1], (await schedule.GetAsync()).Runs);

        // Another minute while run 2 still runs: concurrency forbid skips it, saying why.
        clock.Offset += TimeSpan.FromMinutes(1);
        await schedule.WakeAsync();
        var skipped = await schedule.GetAsync();
        Assert.Equal(CronPlanner.StillRunning, skipped.Skipped);
        Assert.Equal(first.AddMinutes(2), skipped.Last);
        Assert.Null(await cluster.Client.GetJob(CronSchedule.RunName(Name, first.AddMinutes(2))).GetAsync());
        await ExitAsync(cluster, run2, 0);
        await WaitAsync(cluster, run2, j => j.Batch?.Status == BatchStatus.Succeeded);

        // The next run is submitted but the clock cannot record it; the run then fails. Woken again, the schedule
        // sees the run exists and does not submit it a second time, which would have run its failed replica again.
        clock.Offset += TimeSpan.FromMinutes(1);
        var run3 = CronSchedule.RunName(Name, first.AddMinutes(3));
        cluster.StorageFaults.FailWrites = (state, _) => state == StorageNames.JobScheduleState;
        await Assert.ThrowsAnyAsync<Exception>(() => schedule.WakeAsync());
        cluster.StorageFaults.FailWrites = null;
        await ExitAsync(cluster, run3, 1);
        await WaitAsync(cluster, run3, j => j.Batch?.Status == BatchStatus.Failed);
        await schedule.WakeAsync();
        await schedule.WakeAsync();
        Assert.Single(await cluster.TasksAsync(run3));
        // A run that failed failed as a batch, not as a rollout: its one version reads rolled out.
        Assert.Equal(JobVersionStatus.Current, Assert.Single((await WaitAsync(cluster, run3, j => j.Versions[^1].Status != JobVersionStatus.Rolling)).Versions).Status);
        Assert.Equal([run3, run2, run1], (await schedule.GetAsync()).Runs);

        // Ten minutes missed (the cluster was down): only the latest runs, once.
        clock.Offset += TimeSpan.FromMinutes(10);
        await schedule.WakeAsync();
        var run4 = CronSchedule.RunName(Name, first.AddMinutes(13));
        await cluster.WaitForTasksAsync(run4, t => t.Count == 1 && t[0].State == TaskState.Running);
        Assert.Null(await cluster.Client.GetJob(CronSchedule.RunName(Name, first.AddMinutes(12))).GetAsync());
        Assert.Equal([run4, run3, run2, run1], (await schedule.GetAsync()).Runs);

        // Stopping the job stops the run still going, and nothing falls due any more.
        await job.StopAsync();
        await WaitAsync(cluster, run4, j => j.Status == JobStatus.Stopped);
        clock.Offset += TimeSpan.FromMinutes(1);
        await schedule.WakeAsync();
        var stopped = (await job.GetAsync())!;
        Assert.Null(stopped.Schedule!.Next);
        Assert.Equal([run4, run3, run2, run1], stopped.Schedule.Runs);
    }

    /// <summary>Waits until the run's one task runs a container, then ends it with <paramref name="exitCode"/>.</summary>
    private static async Task ExitAsync(GrainTestCluster cluster, string run, int exitCode)
    {
        var tasks = await cluster.WaitForTasksAsync(run, t => t.Count == 1 && t[0].State == TaskState.Running);
        cluster.RuntimeOf(tasks[0].Node!).Exit(tasks[0].ContainerId!, exitCode);
    }

    private static async Task<JobInfo> WaitAsync(GrainTestCluster cluster, string name, Func<JobInfo, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        JobInfo? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            last = await cluster.Client.GetJob(name).GetAsync();
            if (last is not null && condition(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {name} never got there; last seen: {last?.Status} {last?.Batch?.Status}");
    }

    /// <summary>The real clock, moved on by <see cref="Offset"/>.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
            set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
