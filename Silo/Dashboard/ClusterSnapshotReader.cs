using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// Reads a <see cref="ClusterSnapshot"/> from the directories and the jobs' task lists. The view polls it every two
/// seconds, so what it reads is bounded: every live task, then only the newest ended ones, at most
/// <see cref="MaxTasks"/> tasks in all (<see cref="Shares"/>).
/// </summary>
internal static class ClusterSnapshotReader
{
    public const int MaxTasks = 500;
    public const int EndedTasksPerJob = 10;
    public const int RecentEvents = 50;

    public static async Task<ClusterSnapshot> ReadAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var nodes = ClusterReader.ListNodesAsync(grains);
        var jobs = (await ClusterReader.ListJobsAsync(grains)).OrderBy(j => j.Name, StringComparer.Ordinal).ToList();
        var (queries, notShown) = Shares(jobs);
        var tasks = (await ClusterReader.ListTasksAsync(grains, queries))
            .OrderBy(t => TaskTransitions.IsTerminal(t.State))
            .ThenBy(t => t.Job, StringComparer.Ordinal)
            .ThenBy(t => t.Slot)
            .ThenByDescending(t => t.CreatedAt)
            .ToList();
        return new ClusterSnapshot(
            DateTimeOffset.UtcNow,
            [.. (await nodes).Select(NodeRow.From)],
            [.. jobs.Select(JobSummary.From)],
            [.. tasks.Select(TaskRow.From)],
            [.. EventRow.Of(tasks).Reverse().Take(RecentEvents)],
            notShown);
    }

    /// <summary>
    /// What each job is asked for (a job left no share is not asked), and how many tasks that leaves out. Live tasks
    /// come first, job by job, so a large job's ended tasks are what the cap leaves out; then each job's
    /// <see cref="EndedTasksPerJob"/> newest ended ones, while <see cref="MaxTasks"/> leaves room.
    /// </summary>
    internal static (IReadOnlyList<KeyValuePair<string, TaskQuery>> Queries, int NotShown) Shares(IReadOnlyList<JobInfo> jobs)
    {
        var live = jobs.Select(j => j.LiveTaskIds.Count).ToArray();
        var ended = jobs.Select(j => Math.Clamp(j.TaskIds.Count - j.LiveTaskIds.Count, 0, EndedTasksPerJob)).ToArray();
        var shares = new int[jobs.Count];
        var left = MaxTasks;
        foreach (var wanted in new[] { live, ended })
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                var taken = Math.Min(wanted[i], left);
                shares[i] += taken;
                left -= taken;
            }
        }
        var queries = jobs.Select((job, i) => KeyValuePair.Create(job.Name, TaskQuery.All with { Limit = shares[i], Events = true }))
            .Where(q => q.Value.Limit > 0)
            .ToList();
        return (queries, live.Sum() + ended.Sum() - shares.Sum());
    }
}
