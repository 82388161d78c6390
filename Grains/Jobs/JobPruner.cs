using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// What a job's reminder tidies away once the retention has passed (<see cref="JobHistory"/> decides what): the ended
/// tasks that gave up their slot, and a stopped job once nothing of it is left, with its directory entry and reminder,
/// so that its name is free again.
/// </summary>
/// <param name="grain">The job grain, which deactivates once removed.</param>
/// <param name="state">The job's stored state.</param>
/// <param name="grains">To reach the job's tasks, the job directory and the job's clock.</param>
/// <param name="tasks">The job's tasks as last known, forgotten with the job.</param>
/// <param name="reminder">The job's reminder, unregistered with the job.</param>
/// <param name="retention">How long ended tasks and a stopped job are kept (<c>TaskRetention</c>).</param>
/// <param name="logger">The job grain's.</param>
/// <param name="job">The job's name.</param>
public sealed partial class JobPruner(
    IGrainBase grain,
    IPersistentState<JobState> state,
    IGrainFactory grains,
    SlotTasks tasks,
    ReconcileReminder reminder,
    TimeSpan retention,
    ILogger logger,
    string job)
{
    /// <summary>
    /// Forgets the tasks that gave up their slot a retention ago, then, for a stopped job with nothing left, the job.
    /// Reads only the job's own state, and writes nothing when nothing is due.
    /// </summary>
    public async Task PruneAsync(DateTimeOffset now)
    {
        var prune = JobHistory.Prune(state.State, now, retention);
        var gone = await ForgetAsync(prune.Due);
        if (prune.Changes)
        {
            state.State = JobHistory.Pruned(state.State, prune, gone, now);
            await state.WriteStateAsync();
        }
        if (gone.Count > 0)
        {
            LogPruned(job, gone.Count);
        }
        if (JobHistory.Removable(state.State, now, retention))
        {
            await RemoveAsync();
        }
    }

    /// <summary>Forgets these ended tasks (deleting their state) and returns those that are gone.</summary>
    public async Task<IReadOnlySet<string>> ForgetAsync(IReadOnlyCollection<string> ids)
    {
        var results = await Task.WhenAll(ids.Select(async id => (Id: id, Gone: await grains.GetGrain<ITaskGrain>(id).ForgetAsync())));
        return results.Where(r => r.Gone).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Removes the job's directory entry and reminder, and lets the job deactivate: its state is gone.</summary>
    public async Task UnregisterAsync()
    {
        reminder.CancelRetry();
        await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).RemoveAsync(job);
        await reminder.UnregisterAsync();
        tasks.Clear();
        grain.DeactivateOnIdle();
    }

    /// <summary>Deletes the job's state, then its directory entry and reminder, so its name is free again.</summary>
    private async Task RemoveAsync()
    {
        var scheduled = state.State.Spec?.IsScheduled == true;
        await state.ClearStateAsync();
        // Forgets the deleted row's version, so a submission this activation still serves inserts a new row.
        await state.ReadStateAsync();
        LogRemoved(job, retention);
        if (scheduled)
        {
            // The job's clock ends itself once it finds the job gone.
            grains.GetJobSchedule(job).WakeAsync().Ignore();
        }
        await UnregisterAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} forgot {Count} ended tasks past their retention")]
    private partial void LogPruned(string job, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} removed: stopped, and every task ended, more than {Retention} ago")]
    private partial void LogRemoved(string job, TimeSpan retention);
}
