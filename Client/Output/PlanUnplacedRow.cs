namespace Orchestrator.Client.Output;

/// <summary>A replica the plan cannot place, with the reasons.</summary>
internal sealed record PlanUnplacedRow(int Replica, IReadOnlyList<string> Reasons);
