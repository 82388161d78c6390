using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// This silo's cached copy of the node directory, shared by its scheduler activations. Between
/// refreshes it assumes each ranking's best node takes the task, so a burst of placements sees its own
/// earlier picks (spread spreads, binpack packs) instead of all choosing the same node from one stale copy.
/// </summary>
public sealed class ClusterView
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public bool IsStale
    {
        get
        {
            lock (_lock)
            {
                return DateTimeOffset.UtcNow - _refreshedAt > Ttl;
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
    public async Task<IReadOnlyList<NodeInfo>> CurrentAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (IsStale)
        {
            Refresh(await grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync());
        }
        return Nodes;
    }

    public void Refresh(IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_lock)
        {
            _nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
            _refreshedAt = DateTimeOffset.UtcNow;
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
