using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// Reads a <see cref="ClusterSnapshot"/> from the directory, job and task grains. The view polls it every
/// two seconds, so what it reads is bounded: every live task, only the newest ended ones, at most
/// <see cref="MaxTasks"/> tasks in all.
/// </summary>
internal static class ClusterSnapshotReader
{
    public const int MaxTasks = 500;
    public const int EndedTasksPerJob = 10;
    public const int RecentEvents = 50;

    public static async Task<ClusterSnapshot> ReadAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var nodesCall = ClusterReader.ListNodesAsync(grains);
        var jobs = await ClusterReader.ListJobsAsync(grains);

        // Live tasks first, so a large job's ended tasks are what the cap leaves out.
        var wanted = jobs.SelectMany(j => j.LiveTaskIds)
            .Concat(jobs.SelectMany(j => j.TaskIds.Take(EndedTasksPerJob)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var tasks = (await Task.WhenAll(wanted.Take(MaxTasks).Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync())))
            .OfType<TaskInfo>()
            .ToList();
        var nodes = await nodesCall;

        var running = tasks.Where(t => t.State == TaskState.Running).GroupBy(t => t.Job, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new ClusterSnapshot(
            DateTimeOffset.UtcNow,
            nodes.Select(NodeView.From).ToList(),
            jobs.OrderBy(j => j.Name, StringComparer.Ordinal)
                .Select(j => new JobView(j.Name, JobStatusText.Of(j), j.Spec.Image, j.Spec.Replicas, j.LiveTaskIds.Count,
                    running.GetValueOrDefault(j.Name), j.Spec.Scheduler, j.UpdatedAt, j.Spec.Type, j.Batch?.Completed ?? 0))
                .ToList(),
            tasks.OrderBy(t => TaskTransitions.IsTerminal(t.State))
                .ThenBy(t => t.Job, StringComparer.Ordinal)
                .ThenBy(t => t.Slot)
                .ThenByDescending(t => t.CreatedAt)
                .Select(TaskView.From)
                .ToList(),
            tasks.SelectMany(t => t.Events.Select(e => new EventView(e.Time, t.Id, t.Job, e.From?.ToString(), e.To.ToString(), e.Reason)))
                .OrderByDescending(e => e.Time)
                .Take(RecentEvents)
                .ToList(),
            Math.Max(0, wanted.Count - MaxTasks));
    }
}
