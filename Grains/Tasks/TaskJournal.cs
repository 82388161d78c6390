using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// A task's record and its moves through the transition table (<see cref="TaskHistory"/>): each move is written
/// with its event and any change to the bookkeeping in one write, then logged and told to the task's job.
/// </summary>
/// <param name="state">The task's persisted record.</param>
/// <param name="grains">To tell the job.</param>
/// <param name="timers">The task's timers: a Running task asks its node now and then.</param>
/// <param name="metrics">Where the time from placement to a running container is recorded.</param>
/// <param name="logger">The task grain's logger.</param>
public sealed partial class TaskJournal(IPersistentState<TaskRecord> state, IGrainFactory grains, TaskTimers timers, OrchestratorMetrics metrics, ILogger logger)
{
    /// <summary>The record as the task holds it; <see cref="WriteAsync"/> persists it.</summary>
    public TaskRecord Record
    {
        get => state.State;
        set => state.State = value;
    }

    public TaskInfo? Info => state.State.Info;

    public Task WriteAsync() => state.WriteStateAsync();

    public Task ClearAsync() => state.ClearStateAsync();

    /// <summary>Moves the task to <paramref name="to"/> with an event, and writes that with any <paramref name="record"/> change in one write.</summary>
    public async Task TransitionAsync(TaskState to, string reason, Func<TaskInfo, TaskInfo> change, Func<TaskRecord, TaskRecord>? record = null)
    {
        var info = Info!;
        var next = TaskHistory.Move(info, to, reason, DateTimeOffset.UtcNow, change);
        state.State = (record?.Invoke(state.State) ?? state.State) with { Info = next };
        await state.WriteStateAsync();
        LogTransition(info.Id, info.State, to, reason);
        if (to == TaskState.Failed)
        {
            LogFailed(info.Id, reason);
        }
        if (to == TaskState.Running)
        {
            if (info.State == TaskState.Scheduled && TaskHistory.PlacedAt(info) is { } placedAt)
            {
                metrics.Started(next.Events[^1].Time - placedAt);
            }
            timers.CheckWhileRunning();
        }
        // The job acts on a task's node (known from Scheduled on) and its end, and a rollout on Running: one notice per
        // move costs less than the job asking every task it waits on each second (seven times a task at 10 × 1,000).
        grains.GetJob(info.Job).TaskChangedAsync(next).Ignore();
    }

    // Debug: every transition is in the task's own events (orch events); at thousands of tasks a second the log would cost more than the work.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: {From} -> {To}: {Reason}")]
    private partial void LogTransition(string taskId, TaskState from, TaskState to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} failed: {Reason}")]
    private partial void LogFailed(string taskId, string reason);
}
