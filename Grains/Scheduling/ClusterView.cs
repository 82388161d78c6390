using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// This silo's cached copy of the node directory, shared by its scheduler activations. Between
/// refreshes it assumes each ranking's best node takes the task, so a burst of placements sees its own
/// earlier picks (spread spreads, binpack packs) instead of all choosing the same node from one stale copy.
/// </summary>
public sealed class ClusterView(TimeProvider time)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private TaskCompletionSource? _fetch;

    public bool IsStale
    {
        get
        {
            lock (_lock)
            {
                return StaleNow();
            }
        }
    }

    public IReadOnlyList<NodeInfo> Nodes
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Values.ToArray();
            }
        }
    }

    /// <summary>The nodes as this silo last saw them, fetched again from the node directory once they are stale.</summary>
    public Task<IReadOnlyList<NodeInfo>> CurrentAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return CurrentAsync(() => grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync());
    }

    /// <summary>
    /// The nodes, fetched with <paramref name="list"/> once they are stale. One fetch serves every caller that finds
    /// the view stale while it is under way: a burst of submissions would otherwise each fetch (and the directory
    /// serialise) the whole list, every node with its tasks by job, at the same moment.
    /// </summary>
    internal async Task<IReadOnlyList<NodeInfo>> CurrentAsync(Func<Task<IReadOnlyList<NodeInfo>>> list)
    {
        TaskCompletionSource? fetch = null;
        Task? pending = null;
        lock (_lock)
        {
            if (StaleNow())
            {
                if (_fetch is null)
                {
                    fetch = _fetch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                pending = _fetch.Task;
            }
        }
        if (fetch is not null)
        {
            await FetchAsync(list, fetch);
        }
        if (pending is not null)
        {
            await pending;
        }
        return Nodes;
    }

    private async Task FetchAsync(Func<Task<IReadOnlyList<NodeInfo>>> list, TaskCompletionSource fetch)
    {
        Exception? failure = null;
        try
        {
            Refresh(await list());
        }
        catch (Exception e)
        {
            failure = e;
        }
        // Cleared before the waiters resume, so that one finding the view stale again starts a fetch of its own.
        lock (_lock)
        {
            _fetch = null;
        }
        if (failure is null)
        {
            fetch.SetResult();
        }
        else
        {
            fetch.SetException(failure);
        }
    }

    // Callers hold _lock.
    private bool StaleNow() => time.GetUtcNow() - _refreshedAt > Ttl;

    public void Refresh(IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_lock)
        {
            _nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
            _refreshedAt = time.GetUtcNow();
        }
    }

    /// <summary>Counts one replica of <paramref name="spec"/> on <paramref name="node"/> until the next refresh.</summary>
    public void Assume(string node, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out var info))
            {
                return;
            }
            var byJob = new Dictionary<string, int>(info.TasksByJob, StringComparer.Ordinal);
            byJob[spec.Name] = byJob.GetValueOrDefault(spec.Name) + 1;
            _nodes[node] = info with
            {
                AllocatedCpu = info.AllocatedCpu + spec.Resources.Cpu,
                AllocatedMemoryMb = info.AllocatedMemoryMb + spec.Resources.MemoryMb,
                Tasks = info.Tasks + 1,
                TasksByJob = byJob,
                UsedHostPorts = info.UsedHostPorts.Concat(spec.Ports.Where(p => p.Host != 0).Select(p => p.Host)).ToArray(),
            };
        }
    }
}
