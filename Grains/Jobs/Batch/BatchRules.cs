using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Jobs.Batch;

/// <summary>
/// What a batch job does with its replicas' tasks, as pure functions: a task that failed by its own doing (its
/// restarts used on its node, or its restart policy gave none) is tried again on a node where the slot has not failed
/// yet, up to <c>restart.reschedules</c> times; the job succeeded once every replica ended Completed, and failed once
/// one ended Failed with no reschedule left. Decided from the job's stored slots and attempts and the tasks' own
/// state, so a job that comes back after a crash decides the same.
/// </summary>
public static class BatchRules
{
    /// <summary>The reschedules a batch job allows per replica.</summary>
    public static int Allowed(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Restart.Reschedules ?? SpecLimits.DefaultReschedules;
    }

    /// <param name="spec">The job's spec; a service job reschedules nothing.</param>
    /// <param name="status">A stopped job reschedules nothing.</param>
    /// <param name="slots">Slot → its task, as last known (null: not started yet).</param>
    /// <param name="attempts">Slot → its reschedules so far.</param>
    /// <param name="taken">Slots something else fills this pass (a resubmission, a rollout).</param>
    public static IReadOnlyList<SlotReschedule> Reschedules(
        JobSpec spec, JobStatus status, IReadOnlyDictionary<int, (string TaskId, TaskInfo? Task)> slots, IReadOnlyDictionary<int, SlotAttempts> attempts, IReadOnlySet<int> taken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(taken);
        if (!spec.IsBatch || status != JobStatus.Active)
        {
            return [];
        }
        var allowed = Allowed(spec);
        var reschedules = new List<SlotReschedule>();
        foreach (var (slot, (_, task)) in slots.OrderBy(s => s.Key))
        {
            if (slot >= spec.Replicas || taken.Contains(slot) || !FailedOnItsOwn(task))
            {
                continue;
            }
            var before = attempts.GetValueOrDefault(slot) ?? new SlotAttempts();
            if (before.Reschedules >= allowed)
            {
                continue;
            }
            var failedNodes = task!.Node is { } node && !before.FailedNodes.Contains(node) ? before.FailedNodes.Add(node) : before.FailedNodes;
            var why = string.Create(
                CultureInfo.InvariantCulture,
                $"rescheduled from {task.Node ?? "no node"} after {task.Restarts} restarts ({task.Reason ?? "failed"}); reschedule {before.Reschedules + 1} of {allowed}, not on {string.Join(", ", failedNodes)}");
            reschedules.Add(new SlotReschedule(slot, before with { Reschedules = before.Reschedules + 1, FailedNodes = failedNodes, TaskId = null, Why = why }));
        }
        return reschedules;
    }

    /// <summary>A batch job's outcome from its slots' tasks; null for a service job.</summary>
    public static BatchOutcome? Outcome(JobSpec spec, IReadOnlyDictionary<int, (string TaskId, TaskInfo? Task)> slots, IReadOnlyDictionary<int, SlotAttempts> attempts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(attempts);
        if (!spec.IsBatch)
        {
            return null;
        }
        var allowed = Allowed(spec);
        var completed = 0;
        foreach (var (slot, (taskId, task)) in slots.OrderBy(s => s.Key))
        {
            if (slot >= spec.Replicas)
            {
                continue;
            }
            if (task is { State: TaskState.Completed, Displaced: false })
            {
                completed++;
            }
            else if (FailedOnItsOwn(task) && (attempts.GetValueOrDefault(slot)?.Reschedules ?? 0) >= allowed)
            {
                return new BatchOutcome
                {
                    Status = BatchStatus.Failed,
                    Completed = completed,
                    Replicas = spec.Replicas,
                    FailedTask = taskId,
                    Reason = string.Create(CultureInfo.InvariantCulture, $"{task!.Reason ?? "failed"} (on {task.Node ?? "no node"}; no reschedule left, {allowed} allowed)"),
                };
            }
        }
        return new BatchOutcome
        {
            Status = completed == spec.Replicas ? BatchStatus.Succeeded : BatchStatus.Running,
            Completed = completed,
            Replicas = spec.Replicas,
        };
    }

    /// <summary>Failed by its own doing, not moved off a lost or drained node (which the job replaces anyway).</summary>
    private static bool FailedOnItsOwn(TaskInfo? task) => task is { State: TaskState.Failed, Displaced: false };
}
