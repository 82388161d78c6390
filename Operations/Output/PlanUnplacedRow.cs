namespace Orchestrator.Operations.Output;

/// <summary>A replica the plan cannot place, with the reasons.</summary>
public sealed record PlanUnplacedRow(int Replica, IReadOnlyList<string> Reasons);
