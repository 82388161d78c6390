namespace Orchestrator.Operations.Output;

/// <summary>
/// A replica the plan places: the node, its score, how many nodes were available, the chosen node's score parts
/// (every scorer's, <c>spreadBy</c>'s too) and why each other node was refused (<c>node-b: constraint mismatch: …</c>).
/// </summary>
public sealed record PlanPlacementRow(
    int Replica,
    string Node,
    double Score,
    string Summary,
    IReadOnlyDictionary<string, double> Parts,
    IReadOnlyList<string> Refused);
