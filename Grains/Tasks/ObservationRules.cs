using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// How a task takes what a node reports of its container, as a pure function. The node reports until it is
/// acknowledged and the task asks on its own, so the same report may arrive twice, late, or after the task
/// restarted: every answer here is safe to give again, and a report older than what the task acted on last
/// changes nothing.
/// </summary>
public static class ObservationRules
{
    /// <param name="info">The task, or null when no task has this id (never was, or forgotten).</param>
    /// <param name="record">The task's bookkeeping: pending restart, abandoned start, newest generation acted on.</param>
    /// <param name="node">The node that reports.</param>
    /// <param name="observation">What it reports.</param>
    public static ObservationDecision Decide(TaskInfo? info, TaskRecord record, string node, ContainerObservation observation)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(observation);
        if (info is null || info.Node != node)
        {
            // A reservation for a task that never was, was forgotten, or lives on another node: a stale copy.
            return new(ContainerVerdict.Remove, ObservationAction.None);
        }
        if (TaskTransitions.IsTerminal(info.State))
        {
            if (observation.Status == ContainerStatus.NotReserved)
            {
                return new(ContainerVerdict.Keep, ObservationAction.None);
            }
            // The container the task ended with stays, stopped, for its logs; any other, or one of a moved task, goes.
            var kept = !info.Displaced && observation.ContainerId is not null && observation.ContainerId == info.ContainerId;
            return new(kept ? ContainerVerdict.Release : ContainerVerdict.Remove, ObservationAction.None);
        }
        if (observation.Generation < record.ObservedGeneration)
        {
            return new(ContainerVerdict.Keep, ObservationAction.None);
        }
        if (observation.Status == ContainerStatus.NotReserved)
        {
            return new(ContainerVerdict.Keep, ObservationAction.Lost);
        }
        if (IsPull(observation.Status) && (info.State != TaskState.Scheduled || record.AbandonedStart is not null))
        {
            // Nothing of the task exists on the node while its image is pulled: no container to end, adopt or remove.
            return new(ContainerVerdict.Keep, ObservationAction.None);
        }
        if (record.AbandonedStart is not null)
        {
            // The start's answer was lost: a running container is the start having worked; anything else must go before the slot moves.
            return observation.Status == ContainerStatus.Running
                ? new(ContainerVerdict.Keep, ObservationAction.Adopt)
                : new(ContainerVerdict.Remove, ObservationAction.None);
        }
        return info.State switch
        {
            TaskState.Running => DecideRunning(info, observation),
            TaskState.Scheduled => DecideScheduled(record, observation),
            _ => new(ContainerVerdict.Keep, ObservationAction.None),
        };
    }

    private static bool IsPull(ContainerStatus status) => status is ContainerStatus.Pulling or ContainerStatus.Pulled or ContainerStatus.PullFailed;

    private static ObservationDecision DecideRunning(TaskInfo info, ContainerObservation observation)
    {
        if (observation.ContainerId == info.ContainerId || observation.ContainerId is null)
        {
            return observation.Status == ContainerStatus.Running
                ? new(ContainerVerdict.Keep, ObservationAction.None)
                : new(ContainerVerdict.Keep, ObservationAction.Ended);
        }
        // Another container: one running is the task's now (the node kept it); one ended is an earlier one's history.
        return observation.Status == ContainerStatus.Running
            ? new(ContainerVerdict.Keep, ObservationAction.Adopt)
            : new(ContainerVerdict.Keep, ObservationAction.None);
    }

    private static ObservationDecision DecideScheduled(TaskRecord record, ContainerObservation observation) => observation.Status switch
    {
        ContainerStatus.Running => new(ContainerVerdict.Keep, ObservationAction.Adopt),
        ContainerStatus.Pulling => new(ContainerVerdict.Keep, ObservationAction.Pulling),
        ContainerStatus.Pulled => new(ContainerVerdict.Keep, ObservationAction.Pulled),
        // Once the task waits out its backoff, the failure it is told again is the one it acted on.
        ContainerStatus.PullFailed when record.RestartDueAt is null => new(ContainerVerdict.Keep, ObservationAction.PullFailed),
        _ when record.RestartDueAt is not null => new(ContainerVerdict.Keep, ObservationAction.None),
        ContainerStatus.Exited or ContainerStatus.Unhealthy => new(ContainerVerdict.Keep, ObservationAction.Ended),
        _ => new(ContainerVerdict.Keep, ObservationAction.Start),
    };
}
