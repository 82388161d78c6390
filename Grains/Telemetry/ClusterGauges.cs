using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Telemetry;

/// <summary>What the cluster-wide gauges report: tasks of live jobs by state, and every node's liveness and resources.</summary>
public sealed record ClusterGauges(
    IReadOnlyList<TaskCount> Tasks,
    IReadOnlyList<NodeGauge> Nodes,
    IReadOnlySet<string> LiveJobs)
{
    /// <summary>
    /// Counts the tasks of the jobs that are not stopped, per job and state (only the states that occur), from the
    /// jobs, their live tasks and the nodes as the directories list them.
    /// </summary>
    public static ClusterGauges From(IEnumerable<NodeInfo> nodes, IEnumerable<JobInfo> jobs, IEnumerable<TaskInfo> tasks)
    {
        var live = jobs.Where(j => j.Status != JobStatus.Stopped).Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var counts = tasks.Where(t => live.Contains(t.Job))
            .GroupBy(t => (t.Job, t.State))
            .Select(g => new TaskCount(g.Key.Job, g.Key.State.ToString(), g.Count()))
            .OrderBy(c => c.Job, StringComparer.Ordinal).ThenBy(c => c.State, StringComparer.Ordinal)
            .ToArray();
        var nodeGauges = nodes.Select(n => new NodeGauge(
            n.Name, n.Status != NodeStatus.Down, n.Cpus, n.AllocatedCpu, n.MemoryMb * Mebibyte, n.AllocatedMemoryMb * Mebibyte)).ToArray();
        return new ClusterGauges(counts, nodeGauges, live);
    }

    private const long Mebibyte = 1024 * 1024;
}
