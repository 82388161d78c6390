using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Scorers;

/// <summary>
/// Takes the feasible nodes in name order and starts at <c>tick mod count</c>; the caller advances the
/// tick once per placement, so consecutive placements go to consecutive nodes.
/// <code>position = (index − tick mod count) mod count;  score = −position</code>
/// normalised min-max, so the node whose turn it is scores 100 and the one just before it 0.
/// </summary>
public sealed class RoundRobinScorer : IPlacementScorer
{
    public string Name => SchedulerNames.RoundRobin;

    /// <summary>A node's turn depends on the tick and on the other feasible nodes.</summary>
    public bool ScoresEachNodeAlone(PlacementContext context) => false;

    public IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feasible);
        var count = feasible.Count;
        if (count == 0)
        {
            return [];
        }
        var indexByName = feasible
            .Select(n => n.Name)
            .Order(StringComparer.Ordinal)
            .Select((name, index) => (name, index))
            .ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        // The double modulo keeps the turn in range for a negative tick too.
        var turn = (int)((context.RoundRobinTick % count + count) % count);
        return feasible.Select(node =>
        {
            var position = (indexByName[node.Name] - turn + count) % count;
            return new RawScore(-position, new Dictionary<string, double>(StringComparer.Ordinal) { ["position"] = position });
        }).ToList();
    }

    public IReadOnlyList<double> Normalize(IReadOnlyList<double> raw) => ScoreNormalization.MinMax(raw);
}
