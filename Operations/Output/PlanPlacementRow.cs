namespace Orchestrator.Operations.Output;

/// <summary>A replica the plan places: the node, its score, and how many nodes were available.</summary>
public sealed record PlanPlacementRow(int Replica, string Node, double Score, string Summary);
