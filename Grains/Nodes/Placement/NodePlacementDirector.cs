using Orchestrator.Abstractions;
using Orleans.Runtime.Placement;

namespace Orchestrator.Grains.Nodes.Placement;

/// <summary>
/// Picks the active silo whose name is the node's host (<see cref="NodeNames.SiloOf"/>): the node's own name. The built-in silo-metadata filters
/// compare candidates with the caller's metadata, not with the grain key, so they cannot express this.
/// </summary>
public sealed class NodePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var node = GrainKeys.NodeName(target.GrainIdentity.Key.ToString()!);
        var host = NodeNames.SiloOf(node);
        var compatible = context.GetCompatibleSilos(target);
        var snapshot = membership.CurrentSnapshot;
        foreach (var silo in compatible)
        {
            if (snapshot.Members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Active && member.Name == host)
            {
                return Task.FromResult(silo);
            }
        }
        throw new NodeUnavailableException(node);
    }
}
