using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Client.Commands;

/// <summary>Reads jobs, tasks and nodes from the cluster, failing with exit 1 for what does not exist.</summary>
internal static class ClusterLookup
{
    /// <summary>The tasks with these ids that exist, newest first.</summary>
    public static async Task<IReadOnlyList<TaskInfo>> GetTasksAsync(IClusterClient client, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(client);
        var tasks = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(id => client.GetGrain<ITaskGrain>(id).GetAsync())).ConfigureAwait(false);
        return [.. tasks.OfType<TaskInfo>().OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];
    }

    /// <summary>The job, or a not-found failure (exit 1).</summary>
    public static async Task<JobInfo> GetJobAsync(IClusterClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.GetJob(name).GetAsync().ConfigureAwait(false)
            ?? throw CommandFailedException.NotFound($"no job named '{name}'");
    }

    /// <summary>The node as the directory lists it, or a not-found failure (exit 1).</summary>
    public static async Task<NodeInfo> GetNodeAsync(IClusterClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        var nodes = await client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
        return nodes.FirstOrDefault(n => n.Name == name)
            ?? throw CommandFailedException.NotFound($"no node named '{name}'");
    }
}
