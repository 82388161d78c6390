using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs.Batch;
using Orchestrator.Grains.Jobs.Rollout;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// One reconcile pass of a job, decided as a pure function: brings together what <see cref="JobReconciler"/> (slots to
/// fill or free), <see cref="BatchRules"/> (batch replicas to try again) and <see cref="RolloutPlanner"/> (tasks to
/// start beside, promote or replace) decided, and says which tasks stop, what the job's state becomes and which tasks
/// start. The job grain applies the plan.
/// </summary>
public static class PassPlanner
{
    /// <param name="job">The job's name.</param>
    /// <param name="state">The job's state; it has a spec.</param>
    /// <param name="tasks">Task id → its last known state; a task of a slot that is missing here was not started yet.</param>
    /// <param name="rollout">The rollout's share of the pass.</param>
    /// <param name="refillEnded">True on a resubmission: slots whose task ended get a new task.</param>
    /// <param name="now">The time of the pass.</param>
    /// <param name="newTaskId">A new task id for a slot.</param>
    public static PassPlan Compute(
        string job, JobState state, IReadOnlyDictionary<string, TaskInfo> tasks, RolloutPlan rollout, bool refillEnded, DateTimeOffset now, Func<int, string> newTaskId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(newTaskId);
        var spec = state.Spec ?? throw new ArgumentException("the job has no spec", nameof(state));
        var slots = state.Slots.ToDictionary(s => s.Key, s => (s.Value, tasks.GetValueOrDefault(s.Value)));
        var plan = JobReconciler.Compute(spec, state.Status, slots, refillEnded, state.Surge.Keys.ToHashSet());
        var reschedules = BatchRules.Reschedules(spec, state.Status, slots, state.Attempts, plan.Place.Concat(state.Surge.Keys).ToHashSet());
        var version = JobVersions.Latest(state.Versions);

        var slotMap = state.Slots;
        var surgeMap = state.Surge;
        var stops = plan.Stop
            .Concat(rollout.Promote.Where(slotMap.ContainsKey).Select(slot => new TaskStop(slotMap[slot], slot, $"replaced by {surgeMap[slot]} of version {version}", FreesSlot: false)))
            .Concat(rollout.Replace.Select(slot => new TaskStop(slotMap[slot], slot, $"replaced in place by version {version}: it was not Running and Healthy", FreesSlot: false)))
            .Concat(rollout.StopSurge.Select(s => new TaskStop(surgeMap[s.Slot], s.Slot, s.Reason, FreesSlot: false)))
            .ToList();

        var history = state.History;
        string Created(int slot)
        {
            var id = newTaskId(slot);
            history = history.Insert(0, id);
            return id;
        }
        foreach (var stop in plan.Stop.Where(s => s.FreesSlot))
        {
            slotMap = slotMap.Remove(stop.Slot);
        }
        foreach (var slot in plan.Place.Concat(rollout.Replace))
        {
            slotMap = slotMap.SetItem(slot, Created(slot));
        }
        // A resubmission gives a failed batch replica its reschedules afresh; a slot that is gone needs none.
        var attempts = state.Attempts.RemoveRange(plan.Stop.Where(s => s.FreesSlot).Select(s => s.Slot).Concat(refillEnded ? plan.Place : []));
        var rescheduled = new List<SlotReschedule>();
        foreach (var reschedule in reschedules)
        {
            var id = Created(reschedule.Slot);
            var attempt = reschedule.Attempts with { TaskId = id };
            slotMap = slotMap.SetItem(reschedule.Slot, id);
            attempts = attempts.SetItem(reschedule.Slot, attempt);
            rescheduled.Add(reschedule with { Attempts = attempt });
        }
        foreach (var slot in rollout.Promote)
        {
            slotMap = slotMap.SetItem(slot, surgeMap[slot]);
            surgeMap = surgeMap.Remove(slot);
        }
        surgeMap = surgeMap.RemoveRange(rollout.StopSurge.Select(s => s.Slot));
        foreach (var slot in rollout.StartSurge)
        {
            surgeMap = surgeMap.SetItem(slot, Created(slot));
        }

        var (versions, desired) = JobVersions.Conclude(state.Versions, rollout, spec, now);
        var after = state with { Spec = desired, Slots = slotMap, Surge = surgeMap, History = history, Versions = versions, Attempts = attempts, UpdatedAt = now };
        after = after with { Released = JobHistory.Release(state, after, now) };
        var active = state.Status == JobStatus.Active;
        return new PassPlan
        {
            Stops = stops,
            Rescheduled = rescheduled,
            After = after,
            Changes = !plan.IsEmpty || reschedules.Count > 0 || rollout.ChangesSlots || rollout.Outcome != RolloutOutcome.None,
            Forget = JobHistory.Overflow(after),
            Start = slotMap.Concat(surgeMap)
                .Where(s => s.Key < desired.Replicas && active && !tasks.ContainsKey(s.Value))
                .Select(s => (s.Value, Assignment(job, after, s.Key, s.Value)))
                .ToList(),
        };
    }

    /// <summary>What a new task of a slot is given; a batch slot's task is never placed where the slot failed before.</summary>
    private static TaskAssignment Assignment(string job, JobState state, int slot, string taskId) =>
        state.Attempts.GetValueOrDefault(slot) is { } attempts && state.Slots.GetValueOrDefault(slot) == taskId
            ? new TaskAssignment(job, slot, state.Spec!, Version: JobVersions.Latest(state.Versions)) { ExcludedNodes = attempts.FailedNodes, Why = attempts.TaskId == taskId ? attempts.Why : null }
            : new TaskAssignment(job, slot, state.Spec!, Version: JobVersions.Latest(state.Versions));
}
