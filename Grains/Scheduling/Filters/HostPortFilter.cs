using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// A fixed host port (PortSpec.Host ≠ 0) can be published once per node: the node must not already hold
/// it for a live task. Host 0 means any free port, which every node has.
/// </summary>
public sealed class HostPortFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        var taken = context.Spec.Ports
            .Where(p => p.Host != 0)
            .Select(p => p.Host)
            .Where(node.UsedHostPorts.Contains)
            .Distinct()
            .Order()
            .ToList();
        return taken.Count == 0
            ? FilterResult.Pass
            : FilterResult.Reject(FilterReasons.PortInUse, $"port in use: host {(taken.Count == 1 ? "port" : "ports")} {string.Join(", ", taken)} already taken on the node");
    }
}
