using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// A task's container on its node: the task has the node start it, does what <see cref="ObservationRules"/> decide
/// about the node's reports and answers (adopt, end, start, wait for a pull, move off), asks the node itself while
/// Scheduled or Running, and has the node remove or release what the task no longer runs.
/// </summary>
/// <param name="journal">The task's record and transitions.</param>
/// <param name="timers">The task's timers.</param>
/// <param name="restarts">What the task does when its container ended or its image could not be pulled.</param>
/// <param name="grains">To reach the node.</param>
/// <param name="liveness">Whether a node that does not answer is gone.</param>
/// <param name="logger">The task grain's logger.</param>
public sealed partial class TaskContainer(TaskJournal journal, TaskTimers timers, TaskRestarts restarts, IGrainFactory grains, NodeLiveness liveness, ILogger logger)
{
    /// <summary>Has the task's node start its container, and takes the answer: Running, or what the failure means.</summary>
    public async Task StartAsync(TaskInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var node = info.Node!;
        using var span = OrchestratorTracing.Source.StartActivity("start container")?.SetTag("orch.task", info.Id).SetTag("orch.node", node);
        RunResult result;
        try
        {
            result = await grains.GetNode(node).RunAsync(info.Id, info.Spec!, info.ContainerId);
        }
        catch (Exception e) when (StartFailureRules.Decide(e, nodeLost: !IsNodeAlive(node)) is { } failure)
        {
            LogStartFailed(e, info.Id, node);
            switch (failure)
            {
                case StartFailure.Refused:
                    await EndedAsync(null, $"could not start: {e.Message}", null);
                    break;
                case StartFailure.NodeFailed:
                    await journal.TransitionAsync(TaskState.Failed, $"could not start on {node}: {e.Message}; moved to another node", i => i with { Displaced = true });
                    break;
                default:
                    // The answer was lost (a timeout, a silo in trouble): the container may exist. It must be removed, or
                    // found running, before the replica may run anywhere else.
                    journal.Record = journal.Record with { AbandonedStart = $"could not start on {node}: {e.Message}" };
                    await journal.WriteAsync();
                    timers.CheckScheduled(TaskTimers.CheckInterval);
                    break;
            }
            return;
        }
        if (result.Started is not { } started)
        {
            // A start this task's stored state does not record (its answer, or the write after it, was lost): the
            // container it made is the task's, running or ended, and is never started a second time.
            var found = result.Found!;
            await ActAsync(ObservationRules.Decide(info, journal.Record, node, found).Action, found);
            return;
        }
        await journal.TransitionAsync(
            TaskState.Running,
            $"container {Short(started.ContainerId)} started on {node}",
            i => i with { ContainerId = started.ContainerId, Ports = started.Ports, Health = null, PullFailure = null },
            r => r with { RunningSince = DateTimeOffset.UtcNow, ObservedGeneration = Math.Max(r.ObservedGeneration, started.Generation), PullFailures = 0 });
    }

    /// <summary>Starts the container whose restart (or pull) is due, unless the task moved on meanwhile.</summary>
    public async Task RestartAsync()
    {
        if (journal.Info is not { State: TaskState.Scheduled } info || journal.Record.AbandonedStart is not null)
        {
            return;
        }
        journal.Record = journal.Record with { RestartDueAt = null };
        await StartAsync(info);
    }

    /// <summary>Acts on what <paramref name="node"/> reports, and answers what the node should do with the reservation.</summary>
    public async Task<ContainerVerdict> ObserveAsync(string node, ContainerObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var decision = ObservationRules.Decide(journal.Info, journal.Record, node, observation);
        await ActAsync(decision.Action, observation);
        return decision.Verdict;
    }

    /// <summary>
    /// Asks the task's node what became of its container (on activation, and while the task waits in Scheduled),
    /// and finishes an abandoned start: the node removes what it may have made, or the node is gone, before the slot moves.
    /// </summary>
    public async Task CheckAsync()
    {
        if (journal.Info is not { State: TaskState.Scheduled or TaskState.Running, Node: { } node } info)
        {
            timers.StopChecking();
            return;
        }
        if (journal.Record.AbandonedStart is { } abandoned)
        {
            if (!await RemoveAsync(node))
            {
                return;
            }
            timers.StopPlacementAndRestart();
            await journal.TransitionAsync(TaskState.Failed, $"{abandoned}; its container is removed, moved to another node", i => i with { Displaced = true }, r => r with { AbandonedStart = null });
            return;
        }
        ContainerObservation? observation;
        try
        {
            observation = await grains.GetNode(node).InspectTaskAsync(info.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A node that is gone is its job's to notice (node liveness); one that is busy is asked again.
            LogCheckFailed(e, info.Id, node);
            return;
        }
        if (observation is not null)
        {
            var decision = ObservationRules.Decide(info, journal.Record, node, observation);
            await ActAsync(decision.Action, observation);
            if (journal.Info is { State: TaskState.Scheduled } && journal.Record is { RestartDueAt: { } due, AbandonedStart: null } && !timers.RestartScheduled)
            {
                // Nothing of it runs on the node: the restart that was due (before this activation) goes ahead.
                timers.ScheduleRestart(due - DateTimeOffset.UtcNow);
            }
        }
        if (journal.Info is { State: TaskState.Running })
        {
            timers.CheckWhileRunning();
        }
        else if (journal.Info is not { State: TaskState.Scheduled })
        {
            timers.StopChecking();
        }
    }

    /// <summary>Has the node remove the task's container and reservation; true when it did, or the node is gone.</summary>
    public async Task<bool> RemoveAsync(string node)
    {
        var taskId = journal.Info!.Id;
        try
        {
            await grains.GetNode(node).RemoveAsync(taskId);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRemoveFailed(e, taskId, node);
            return !IsNodeAlive(node);
        }
    }

    /// <summary>Does what <see cref="ObservationRules"/> decided about a report or an answer of the node.</summary>
    private async Task ActAsync(ObservationAction action, ContainerObservation observation)
    {
        if (action == ObservationAction.None)
        {
            return;
        }
        var info = journal.Info!;
        journal.Record = journal.Record with { ObservedGeneration = Math.Max(journal.Record.ObservedGeneration, observation.Generation) };
        switch (action)
        {
            case ObservationAction.Adopt when info.State == TaskState.Running:
                journal.Record = journal.Record with { Info = info with { ContainerId = observation.ContainerId }, AbandonedStart = null };
                await journal.WriteAsync();
                LogAdopted(info.Id, observation.ContainerId ?? "?", info.Node!);
                break;
            case ObservationAction.Adopt:
                timers.StopPlacementAndRestart();
                await journal.TransitionAsync(
                    TaskState.Running,
                    $"adopted running container {Short(observation.ContainerId)} on {info.Node}",
                    i => i with { ContainerId = observation.ContainerId },
                    r => r with { RestartDueAt = null, AbandonedStart = null, RunningSince = r.RunningSince ?? DateTimeOffset.UtcNow });
                break;
            case ObservationAction.Ended:
                await EndedAsync(observation.ExitCode, observation.Detail, observation.ContainerId);
                break;
            case ObservationAction.Start:
                timers.ScheduleRestart(TimeSpan.Zero);
                break;
            case ObservationAction.Pulling:
                await WaitForImageAsync(info, observation.Detail);
                break;
            case ObservationAction.Pulled:
                await journal.TransitionAsync(TaskState.Scheduled, $"{observation.Detail} on {info.Node}", i => i with { PullFailure = null }, r => r with { PullFailures = 0 });
                timers.ScheduleRestart(TimeSpan.Zero);
                break;
            case ObservationAction.PullFailed:
                await restarts.PullFailedAsync(info, observation.Detail);
                break;
            default:
                timers.StopPlacementAndRestart();
                await journal.TransitionAsync(TaskState.Failed, $"node {info.Node} holds no reservation for it; moved to another node", i => i with { Displaced = true });
                break;
        }
    }

    /// <summary>Records, once, that the task waits for its node to pull its image; a pull in flight needs nothing more of the task.</summary>
    private async Task WaitForImageAsync(TaskInfo info, string pulling)
    {
        var reason = $"{pulling} on {info.Node}";
        if (info.Reason != reason)
        {
            await journal.TransitionAsync(TaskState.Scheduled, reason, i => i);
        }
    }

    /// <summary>The container ended: its restart policy decides; a task that ended frees its reservation on the node at once.</summary>
    private async Task EndedAsync(int? exitCode, string what, string? containerId)
    {
        var info = journal.Info!;
        if (await restarts.ContainerEndedAsync(exitCode, what, containerId) != RestartOutcome.Restart)
        {
            await ReleaseAsync(info);
        }
    }

    /// <summary>Frees the ended task's reservation at once; should the node not answer, its next report is answered Release.</summary>
    private async Task ReleaseAsync(TaskInfo info)
    {
        try
        {
            await grains.GetNode(info.Node!).ReleaseAsync(info.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRemoveFailed(e, info.Id, info.Node!);
        }
    }

    /// <summary>False once the node is lost by the cluster's one rule (<see cref="NodeLiveness"/>); a node too soon to judge counts as alive.</summary>
    private bool IsNodeAlive(string node) => liveness.Judge(node) != NodeVerdict.Lost;

    private static string Short(string? containerId) => containerId is { Length: > 12 } ? containerId[..12] : containerId ?? "?";

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} adopted its running container {ContainerId} on {Node}")]
    private partial void LogAdopted(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not ask its node {Node} about its container; asking again later")]
    private partial void LogCheckFailed(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its node {Node} could not remove or release its container now")]
    private partial void LogRemoveFailed(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not start its container on {Node}")]
    private partial void LogStartFailed(Exception exception, string taskId, string node);
}
