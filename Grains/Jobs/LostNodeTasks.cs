using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// A job's live tasks on nodes that are lost, ended as displaced so that the job's reconcile after it fills their
/// slots again. Node loss is a level, not an event: the job looks for them with <see cref="NodeLiveness"/> whether or
/// not the node directory's notice arrived.
/// </summary>
/// <param name="tasks">The job's tasks as last known; read again after any were ended.</param>
/// <param name="liveness">This silo's verdict on each node.</param>
/// <param name="grains">To reach the tasks.</param>
/// <param name="logger">The job grain's.</param>
/// <param name="job">The job's name.</param>
public sealed partial class LostNodeTasks(SlotTasks tasks, NodeLiveness liveness, IGrainFactory grains, ILogger logger, string job)
{
    /// <summary>Ends the tasks whose node <see cref="NodeLiveness"/> finds lost; true if there were any.</summary>
    public Task<bool> EndOnLostNodesAsync() => EndAsync(
        tasks.Live().Where(t => t.Node is { } node && liveness.Judge(node) == NodeVerdict.Lost).ToList(),
        node => $"node {node} lost: its silo {NodeNames.SiloOf(node)} has no live member in the cluster (found by job {job})");

    /// <summary>Ends the tasks on a node the node directory declared lost, for its reason; true if there were any.</summary>
    public Task<bool> EndOnNodeAsync(string node, string reason) => EndAsync(tasks.Live().Where(t => t.Node == node).ToList(), _ => reason);

    private async Task<bool> EndAsync(List<TaskInfo> lost, Func<string, string> reason)
    {
        if (lost.Count == 0)
        {
            return false;
        }
        await Task.WhenAll(lost.Select(t => grains.GetGrain<ITaskGrain>(t.Id).NodeLostAsync(t.Node!, reason(t.Node!))));
        foreach (var node in lost.GroupBy(t => t.Node!, StringComparer.Ordinal))
        {
            LogNodeLost(job, node.Count(), node.Key);
        }
        tasks.Invalidate();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} replaces {Count} tasks lost with node {Node}")]
    private partial void LogNodeLost(string job, int count, string node);
}
