using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// When a task starts its container again on its node: after the container ended, as its restart policy says
/// (<see cref="RestartRules"/>), or after its image could not be pulled, with the pull backoff
/// (<see cref="ImagePullRules"/>). The due time is written with the task, so a re-activated task honours it.
/// </summary>
public sealed class TaskRestarts(TaskJournal journal, TaskTimers timers, OrchestratorMetrics metrics)
{
    /// <summary>Ends the task's container run by its restart policy: restart in place, Completed or Failed.</summary>
    /// <param name="exitCode">The container's exit code, null when it never ran or is gone.</param>
    /// <param name="what">What happened, in words, for the reason.</param>
    /// <param name="containerId">The container that ended, which a restart replaces; null keeps the one the task knows.</param>
    /// <returns>What the policy decided: unless Restart, the task ended and its node may free its reservation.</returns>
    public async Task<RestartOutcome> ContainerEndedAsync(int? exitCode, string what, string? containerId)
    {
        var info = journal.Info!;
        var step = RestartRules.BackoffStepAfter(journal.Record.RunningSince, journal.Record.BackoffStep, DateTimeOffset.UtcNow);
        var decision = RestartRules.Decide(info.Spec!.Restart, exitCode, info.Restarts, step, what);
        if (decision.Outcome == RestartOutcome.Restart)
        {
            var due = DateTimeOffset.UtcNow + decision.Delay;
            await journal.TransitionAsync(
                TaskState.Scheduled,
                decision.Reason,
                i => i with { Restarts = i.Restarts + 1, LastExitCode = exitCode ?? i.LastExitCode, ContainerId = containerId ?? i.ContainerId },
                r => r with { BackoffStep = step + 1, RunningSince = null, RestartDueAt = due });
            metrics.Restarted(info.Job);
            timers.ScheduleRestart(decision.Delay);
        }
        else
        {
            await journal.TransitionAsync(
                decision.Outcome == RestartOutcome.Complete ? TaskState.Completed : TaskState.Failed,
                decision.Reason,
                i => i with { LastExitCode = exitCode ?? i.LastExitCode, ContainerId = containerId ?? i.ContainerId });
        }
        return decision.Outcome;
    }

    /// <summary>
    /// The pull of the task's image failed: the task stays Scheduled on its node with the engine's reason and asks for
    /// its start (and so a pull) again after a backoff. Its container never ran, so no restart is spent.
    /// </summary>
    public async Task PullFailedAsync(TaskInfo info, string failure)
    {
        ArgumentNullException.ThrowIfNull(info);
        var delay = ImagePullRules.Backoff(journal.Record.PullFailures);
        var due = DateTimeOffset.UtcNow + delay;
        await journal.TransitionAsync(
            TaskState.Scheduled,
            $"{failure} (on {info.Node}); pulling again in {delay.TotalSeconds:0}s",
            i => i with { PullFailure = failure },
            r => r with { PullFailures = r.PullFailures + 1, RestartDueAt = due });
        timers.ScheduleRestart(delay);
    }
}
