using System.Globalization;
using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch plan</c> output: where each replica would go, then the replicas that fit nowhere and why.</summary>
internal static class PlanTable
{
    public static void Write(IAnsiConsole console, PlanDocument plan)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"job {plan.Job}: {plan.Placements.Count} replica(s) placed, {plan.Unplaced.Count} unplaced"));
        if (plan.Placements.Count > 0)
        {
            var placed = Tables.Create("REPLICA", "NODE", "SCORE", "PARTS", "NODES");
            foreach (var p in plan.Placements)
            {
                placed.AddTextRow(
                    p.Replica.ToString(CultureInfo.InvariantCulture),
                    p.Node,
                    p.Score.ToString("0.####", CultureInfo.InvariantCulture),
                    string.Join(", ", p.Parts.Select(part => string.Create(CultureInfo.InvariantCulture, $"{part.Key} {part.Value:0.###}"))),
                    string.Join("; ", p.Refused.Prepend(p.Summary)));
            }
            console.Write(placed);
        }
        if (plan.Unplaced.Count > 0)
        {
            var unplaced = Tables.Create("UNPLACED REPLICA", "REASONS");
            foreach (var u in plan.Unplaced)
            {
                unplaced.AddTextRow(u.Replica.ToString(CultureInfo.InvariantCulture), string.Join("; ", u.Reasons));
            }
            console.Write(unplaced);
        }
    }
}
