using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>Only Ready nodes take new tasks: a draining node is being emptied, a down node is lost.</summary>
public sealed class NodeReadyFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Status switch
        {
            NodeStatus.Ready => FilterResult.Pass,
            NodeStatus.Draining => FilterResult.Reject(RejectionReasons.NodeDraining, Describe(RejectionReasons.NodeDraining, node.StatusReason)),
            _ => FilterResult.Reject(RejectionReasons.NodeDown, Describe(RejectionReasons.NodeDown, node.StatusReason)),
        };
    }

    private static string Describe(string reason, string? statusReason) =>
        string.IsNullOrWhiteSpace(statusReason) ? reason : $"{reason}: {statusReason}";
}
