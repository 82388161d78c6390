using Orchestrator.Abstractions.Access;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// The cluster's view of its nodes (one grain, key <see cref="Key"/>): each node reports itself on
/// start and with every heartbeat; the scheduler reads it.
/// </summary>
[Alias("node-directory")]
public interface INodeDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the one directory grain.</summary>
    const string Key = "cluster";

    /// <summary>Records a node's latest report (its status, capacity, allocation, stats).</summary>
    [Alias("report")]
    Task ReportAsync(NodeInfo node);

    /// <summary>Marks a node Down with the reason; its tasks are then replaced elsewhere.</summary>
    [Alias("mark-down")]
    Task MarkDownAsync(string node, string reason);

    /// <summary>Every known node, by name.</summary>
    [Alias("list"), ClientFacing]
    Task<IReadOnlyList<NodeInfo>> ListAsync();
}
