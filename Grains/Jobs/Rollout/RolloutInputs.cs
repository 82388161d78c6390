using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Scheduling.Filters;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>What <see cref="RolloutPlanner"/> decides from, read off a job's state and its tasks as last known, judged against the latest version.</summary>
public static class RolloutInputs
{
    /// <param name="state">The job's state; it has a spec.</param>
    /// <param name="tasks">Task id → its last known state; a task of a slot that is missing here was not started yet.</param>
    /// <param name="nodes">The cluster's nodes: a task on a draining node, or on one the spec's constraints no longer allow, is outdated.</param>
    /// <param name="now">The time of this pass.</param>
    public static RolloutInput From(JobState state, IReadOnlyDictionary<string, TaskInfo> tasks, IReadOnlyList<NodeInfo> nodes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(nodes);
        var spec = state.Spec ?? throw new ArgumentException("the job has no spec", nameof(state));
        var version = JobVersions.Latest(state.Versions);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        // Comparing specs serialises them: once per version, not once per task.
        var sameTasks = new Dictionary<int, bool> { [version] = true };
        bool Outdated(TaskInfo task)
        {
            if (task.Spec is not { } running)
            {
                return false;
            }
            if (task.Version == 0 || !sameTasks.TryGetValue(task.Version, out var same))
            {
                same = JobSpecComparer.SameTasks(running, spec);
                sameTasks[task.Version] = same;
            }
            return !same || (task.Node is { } node && byName.TryGetValue(node, out var info)
                && (info.Status == NodeStatus.Draining || ConstraintFilter.Mismatch(spec.Constraints, info.Labels) is not null));
        }
        RolloutTask? Of(string? id)
        {
            if (id is null)
            {
                return null;
            }
            if (tasks.GetValueOrDefault(id) is not { } task)
            {
                // Not started yet: it is, once this pass starts it.
                return new RolloutTask { Id = id, Version = version, CreatedAt = now };
            }
            var checkedHealth = task.Spec?.Health is not null;
            var ready = task.State == TaskState.Running
                && (!checkedHealth || task.Health is { Status: HealthStatus.Healthy } health && health.ContainerId == task.ContainerId);
            return new RolloutTask
            {
                Id = id,
                Version = task.Version,
                Outdated = Outdated(task),
                Ended = TaskTransitions.IsTerminal(task.State),
                Completed = task.State == TaskState.Completed,
                Displaced = task.Displaced,
                Running = task.State == TaskState.Running,
                Ready = ready,
                ReadySince = !ready ? null : checkedHealth ? task.Health!.CheckedAt : task.Events.LastOrDefault(e => e.To == TaskState.Running)?.Time ?? task.CreatedAt,
                CreatedAt = task.CreatedAt,
                Reason = task.Health is { LastFailure: { } failure, Status: not HealthStatus.Healthy } ? $"{task.Reason}; health check: {failure}" : task.Reason,
            };
        }
        var slots = state.Slots.Keys.Union(state.Surge.Keys)
            .Select(slot => new RolloutSlot(slot, Of(state.Slots.GetValueOrDefault(slot)), Of(state.Surge.GetValueOrDefault(slot))))
            .ToList();
        return new RolloutInput
        {
            Slots = slots,
            // A scheduled job has no replicas of its own: its version is rolled out once stored.
            Replicas = state.Status == JobStatus.Stopped || spec.IsScheduled ? 0 : spec.Replicas,
            Version = version,
            Status = state.Versions.LastOrDefault()?.Status ?? JobVersionStatus.Current,
            Update = spec.Update,
            LastHealthy = JobVersions.LastHealthy(state.Versions)?.Number,
            Now = now,
            Batch = spec.IsBatch,
        };
    }
}
