using Orleans.Placement;

namespace Orchestrator.Grains.Nodes.Placement;

/// <summary>Marks a grain class as placed by <see cref="NodePlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute : PlacementAttribute
{
    public NodePlacementAttribute() : base(NodePlacementStrategy.Instance)
    {
    }
}
