using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Operations.Output;

/// <summary>What <c>orch plan --json</c> prints (docs/CONTRACT.md, Output shapes).</summary>
public sealed record PlanDocument(string Job, IReadOnlyList<PlanPlacementRow> Placements, IReadOnlyList<PlanUnplacedRow> Unplaced)
{
    public static PlanDocument From(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanDocument(
            plan.Job,
            [.. plan.Placements.Select(p => new PlanPlacementRow(p.Replica, p.Node, p.Score, p.Explanation.Summary()))],
            [.. plan.Unplaced.Select(u => new PlanUnplacedRow(u.Replica, u.Reasons))]);
    }
}
