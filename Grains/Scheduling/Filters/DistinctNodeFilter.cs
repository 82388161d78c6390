using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// For a job with <c>distinctNodes</c>: a node that already holds a live replica of the job takes no other, so
/// losing one machine costs the job one replica at most.
/// </summary>
public sealed class DistinctNodeFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        var replicas = node.TasksByJob.GetValueOrDefault(context.Spec.Name);
        return !context.Spec.DistinctNodes || replicas == 0
            ? FilterResult.Pass
            : FilterResult.Reject(RejectionReasons.ReplicaOnNode, $"{RejectionReasons.ReplicaOnNode}: distinctNodes, and the node runs {(replicas == 1 ? "a replica" : $"{replicas} replicas")} of {context.Spec.Name}");
    }
}
