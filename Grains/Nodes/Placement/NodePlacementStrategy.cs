namespace Orchestrator.Grains.Nodes.Placement;

/// <summary>Places a node grain on the silo whose name (<c>Orchestrator:NodeName</c>) is the grain's key, and nowhere else.</summary>
[GenerateSerializer, Immutable]
public sealed class NodePlacementStrategy : PlacementStrategy
{
    internal static NodePlacementStrategy Instance { get; } = new();
}
