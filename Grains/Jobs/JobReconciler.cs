using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// Compares a job's slots with its spec and says what to change, making no call itself (the job grain
/// applies the plan). A slot whose task ended on its own stays ended — restarts are the task's business —
/// unless the task was displaced (its node lost or drained) or the user resubmitted the job (but a batch replica that
/// ended Completed stays so; a batch task that failed is <see cref="Batch.BatchRules"/>' to reschedule). Replacing a task that
/// runs an outdated spec is the rollout's (<see cref="Rollout.RolloutPlanner"/>), and so is a slot that has a new task
/// beside its current one.
/// </summary>
public static class JobReconciler
{
    /// <param name="spec">The desired spec.</param>
    /// <param name="status">Stopped empties every slot.</param>
    /// <param name="slots">Slot → the task filling it, with what is known of it (null: not started yet).</param>
    /// <param name="refillEnded">True on a resubmission: slots whose task ended get a new task.</param>
    /// <param name="surging">Slots with a new task beside their current one: the rollout fills them.</param>
    public static ReconcilePlan Compute(
        JobSpec spec, JobStatus status, IReadOnlyDictionary<int, (string TaskId, TaskInfo? Task)> slots, bool refillEnded, IReadOnlySet<int>? surging = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slots);
        surging ??= new HashSet<int>();
        var place = new List<int>();
        var stop = new List<TaskStop>();
        // A scheduled job runs no tasks of its own: its runs are child jobs (Cron.JobScheduleGrain).
        var replicas = status == JobStatus.Stopped || spec.IsScheduled ? 0 : spec.Replicas;

        foreach (var (slot, (taskId, task)) in slots.OrderByDescending(s => s.Key))
        {
            if (slot < replicas)
            {
                continue;
            }
            var reason = status == JobStatus.Stopped ? "job stopped" : spec.IsScheduled ? "job scheduled" : $"scaled down to {replicas}";
            stop.Add(new TaskStop(taskId, slot, reason, FreesSlot: true));
        }

        for (var slot = 0; slot < replicas; slot++)
        {
            if (!slots.TryGetValue(slot, out var filled))
            {
                place.Add(slot);
                continue;
            }
            if (filled.Task is { } task && TaskTransitions.IsTerminal(task.State) && (refillEnded || task.Displaced) && !surging.Contains(slot) && !RanToCompletion(spec, task))
            {
                place.Add(slot);
            }
        }
        return new ReconcilePlan(place, stop);
    }

    /// <summary>A batch replica that ended Completed is done: not even a resubmission runs it again.</summary>
    private static bool RanToCompletion(JobSpec spec, TaskInfo task) => spec.IsBatch && task is { State: TaskState.Completed, Displaced: false };
}
