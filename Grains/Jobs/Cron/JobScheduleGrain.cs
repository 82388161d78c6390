using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Inspection;

namespace Orchestrator.Grains.Jobs.Cron;

/// <summary>
/// The clock of a scheduled job: each time the job's schedule falls due it submits a child job (a run) named after
/// that minute, and it stops the runs of a job that was stopped. Level-triggered: every wake reads the job and the
/// stored clock and decides again (<see cref="CronPlanner"/>); the job's reconcile reminder wakes it every
/// <c>ReconcileInterval</c>, so it carries on on another silo after its own died, and a timer wakes it on the minute
/// while it is active. A run is at most once per time: the time is written only after the run was submitted, and
/// a run whose job already exists is not submitted again.
/// </summary>
public sealed partial class JobScheduleGrain(
    [PersistentState(StorageNames.JobScheduleState, StorageNames.Orchestrator)] IPersistentState<JobScheduleState> state,
    TimeProvider clock,
    ILogger<JobScheduleGrain> logger) : Grain, IJobScheduleGrain, IStateInspectableGrain<JobScheduleState>
{
    /// <summary>Runs kept per scheduled job; older ones that ended are stopped, so they are removed a retention later.</summary>
    internal const int KeptRuns = 5;

    // A timer lands a hair after the time it was set for; the margin keeps the clock from reading the minute before.
    private static readonly TimeSpan TimerMargin = TimeSpan.FromMilliseconds(50);

    private IGrainTimer? _timer;

    private string Name => GrainKeys.JobName(this.GetPrimaryKeyString());

    // For the dashboard's grain-state view: the clock holds names and times, nothing secret.
    public Task<JobScheduleState> GetStateAsync() => Task.FromResult(state.State);

    public Task<ScheduleProgress> GetAsync()
    {
        var stored = state.State;
        return Task.FromResult(new ScheduleProgress
        {
            Runs = stored.Runs,
            Last = stored.Last,
            Next = stored is { Since: not null, Schedule: { } schedule } && CronSchedule.TryParse(schedule) is { } cron
                ? CronPlanner.Next(cron, clock.GetUtcNow())
                : null,
            Skipped = stored.Skipped,
        });
    }

    public async Task WakeAsync()
    {
        var job = await GrainFactory.GetJob(Name).GetAsync();
        if (job is not { Status: JobStatus.Active, Spec: { Schedule: { } schedule } spec } || CronSchedule.TryParse(schedule) is not { } cron)
        {
            await EndAsync(removed: job is null);
            return;
        }
        var now = clock.GetUtcNow();
        if (state.State.Since is null || state.State.Schedule != schedule)
        {
            // Counting starts when the clock first sees the job active with this schedule: no time before it runs.
            await WriteAsync(state.State with { Schedule = schedule, Since = now, Last = null, Skipped = null });
        }
        var runs = await ReadRunsAsync();
        var plan = CronPlanner.Plan(cron, state.State.Since ?? now, state.State.Last, now, spec.Concurrency ?? ConcurrencyPolicies.Forbid, runs.Any(r => IsRunning(r.Info)));
        if (plan.Due is { } due)
        {
            await DealWithAsync(spec, due, plan.Skip);
        }
        await PruneAsync(runs);
        Arm(plan.Next, now);
    }

    /// <summary>Submits the run of <paramref name="due"/> unless it is skipped or exists already, then records the time as dealt with.</summary>
    private async Task DealWithAsync(JobSpec spec, DateTimeOffset due, string? skip)
    {
        var run = CronSchedule.RunName(Name, due);
        if (skip is null)
        {
            var child = GrainFactory.GetJob(run);
            try
            {
                if (await child.GetAsync() is null)
                {
                    await child.SubmitAsync(CronSchedule.RunSpec(spec, due));
                    LogRunStarted(Name, run);
                }
            }
            catch (JobSpecException e)
            {
                // The spec was valid when the job was submitted, but a run can still be refused (a secret removed since,
                // the policy changed): this time is skipped with the reason, and the next one tries again.
                skip = e.Message;
            }
        }
        if (skip is not null)
        {
            LogRunSkipped(Name, due, skip);
        }
        var runs = skip is null && !state.State.Runs.Contains(run) ? state.State.Runs.Insert(0, run) : state.State.Runs;
        await WriteAsync(state.State with { Last = due, Skipped = skip, Runs = runs });
    }

    /// <summary>
    /// Stores the clock. If the write fails, memory goes back to what storage held and the grain deactivates, so the
    /// next wake reads what storage has (the write may or may not have reached it) and decides again.
    /// </summary>
    private async Task WriteAsync(JobScheduleState next)
    {
        var before = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>The kept runs with their jobs as they are now (null: removed).</summary>
    private async Task<IReadOnlyList<(string Name, JobInfo? Info)>> ReadRunsAsync()
    {
        var infos = await Task.WhenAll(state.State.Runs.Select(run => GrainFactory.GetJob(run).GetAsync()));
        return [.. state.State.Runs.Zip(infos)];
    }

    /// <summary>Stops the runs beyond the newest <see cref="KeptRuns"/> that ended, and forgets them and the runs already removed.</summary>
    private async Task PruneAsync(IReadOnlyList<(string Name, JobInfo? Info)> runs)
    {
        var dropped = runs.Skip(KeptRuns).Where(r => !IsRunning(r.Info)).ToList();
        await Task.WhenAll(dropped.Where(r => r.Info is { Status: JobStatus.Active }).Select(r => GrainFactory.GetJob(r.Name).StopAsync()));
        var removed = dropped.Select(r => r.Name).Concat(runs.Where(r => r.Info is null).Select(r => r.Name)).ToHashSet(StringComparer.Ordinal);
        if (removed.Count > 0)
        {
            await WriteAsync(state.State with { Runs = state.State.Runs.RemoveAll(removed.Contains) });
        }
    }

    /// <summary>The job was stopped or removed: its runs still going are stopped, and the clock stops counting (or is deleted).</summary>
    private async Task EndAsync(bool removed)
    {
        _timer?.Dispose();
        _timer = null;
        var runs = await ReadRunsAsync();
        await Task.WhenAll(runs.Where(r => r.Info is { Status: JobStatus.Active }).Select(r => GrainFactory.GetJob(r.Name).StopAsync()));
        if (removed)
        {
            if (state.RecordExists)
            {
                await state.ClearStateAsync();
            }
            DeactivateOnIdle();
        }
        else if (state.State.Since is not null)
        {
            await WriteAsync(state.State with { Since = null });
        }
    }

    /// <summary>Wakes the grain again when the schedule next falls due, as long as it stays active.</summary>
    private void Arm(DateTimeOffset? next, DateTimeOffset now)
    {
        _timer?.Dispose();
        _timer = next is { } at
            ? this.RegisterGrainTimer(
                static (grain, _) => grain.WakeAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = at - now + TimerMargin, Period = Timeout.InfiniteTimeSpan, KeepAlive = true })
            : null;
    }

    private static bool IsRunning(JobInfo? run) => run is { Status: JobStatus.Active } && run.Batch?.Status is not (BatchStatus.Succeeded or BatchStatus.Failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled job {Job}: started run {Run}")]
    private partial void LogRunStarted(string job, string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled job {Job}: the run due at {Due} is skipped: {Reason}")]
    private partial void LogRunSkipped(string job, DateTimeOffset due, string reason);
}
