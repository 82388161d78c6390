namespace Orchestrator.Client.Output;

/// <summary>A replica the plan places: the node, its score, and how many nodes were available.</summary>
internal sealed record PlanPlacementRow(int Replica, string Node, double Score, string Summary);
