using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// Leaves out the nodes the request names: those that already refused this task's reservation, so a
/// retry goes to the next candidate instead of the same stale one.
/// </summary>
public sealed class ExcludedNodeFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        return context.ExcludedNodes.Contains(node.Name)
            ? FilterResult.Reject(FilterReasons.Excluded, "excluded: the node already refused this task")
            : FilterResult.Pass;
    }
}
