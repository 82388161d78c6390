using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Resources;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// A fixed host port (PortSpec.Host ≠ 0) can be published once per node: the node must not already hold
/// it for a live task (<see cref="ResourceFit.TakenPorts"/>). Host 0 means any free port, which every node has.
/// </summary>
public sealed class HostPortFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        var taken = ResourceFit.TakenPorts(context.Spec.Ports.Select(p => p.Host), node.UsedHostPorts);
        return taken.Count == 0
            ? FilterResult.Pass
            : FilterResult.Reject(RejectionReasons.PortInUse, ResourceFit.DescribeTakenPorts(taken));
    }
}
