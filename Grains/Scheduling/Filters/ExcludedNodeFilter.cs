using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// Leaves out the nodes the request names: those where the task's replica already failed (a batch job's reschedule
/// tries another node).
/// </summary>
public sealed class ExcludedNodeFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        return context.ExcludedNodes.Contains(node.Name)
            ? FilterResult.Reject(RejectionReasons.Excluded, "excluded: the replica failed on this node before")
            : FilterResult.Pass;
    }
}
