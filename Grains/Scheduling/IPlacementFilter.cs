using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// A feasibility check: can this node take one more replica of the job at all? It answers with a
/// <see cref="FilterResult"/> and never throws because a node does not fit.
/// </summary>
public interface IPlacementFilter
{
    /// <summary>Passes the node, or rejects it with a reason from <see cref="RejectionReasons"/> and the numbers behind it.</summary>
    FilterResult Check(PlacementContext context, NodeInfo node);
}
