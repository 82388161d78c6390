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
            [.. plan.Placements.Select(p => new PlanPlacementRow(
                p.Replica,
                p.Node,
                p.Score,
                p.Explanation.Summary(),
                p.Explanation.Candidates.FirstOrDefault(c => c.Node == p.Node)?.Parts ?? new Dictionary<string, double>(),
                [.. p.Explanation.Rejections.Select(r => $"{r.Node}: {r.Detail}")]))],
            [.. plan.Unplaced.Select(u => new PlanUnplacedRow(u.Replica, u.Reasons))]);
    }
}
