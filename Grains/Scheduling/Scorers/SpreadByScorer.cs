using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling.Scorers;

/// <summary>
/// The job's <c>spreadBy</c>: replicas balanced across the values of a node label first (a zone), then across the
/// nodes of each value. It ranks before the job's own scorer, so <c>binpack</c> still packs, but within the
/// emptiest zone.
/// <code>
/// group replicas = live replicas of the job on Ready nodes whose label has this node's value
/// raw score     = − group replicas;   normalised min-max (fewest → 100);   tie-break = replicas on the node
/// </code>
/// A node without the label is its own last resort: it scores below every labelled node. Without <c>spreadBy</c>
/// every node scores the same and nothing changes.
/// </summary>
public sealed class SpreadByScorer : IPlacementScorer
{
    /// <summary>The job file field that turns this scorer on.</summary>
    public string Name => "spreadBy";

    /// <summary>A zone's count covers every node of that zone; without <c>spreadBy</c> every node scores 0.</summary>
    public bool ScoresEachNodeAlone(PlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Spec.SpreadBy is null;
    }

    public IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feasible);
        if (context.Spec.SpreadBy is not { } label)
        {
            return feasible.Select(_ => new RawScore(0, new Dictionary<string, double>())).ToList();
        }
        var job = context.Spec.Name;
        // Down and draining nodes' replicas are being replaced, so they balance nothing.
        var byValue = context.Nodes
            .Where(n => n.Status == NodeStatus.Ready && n.Labels.ContainsKey(label))
            .GroupBy(n => n.Labels[label], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(n => n.TasksByJob.GetValueOrDefault(job)), StringComparer.Ordinal);
        var unlabelled = -(byValue.Values.DefaultIfEmpty(0).Max() + 1);
        return feasible.Select(node =>
        {
            var onNode = node.TasksByJob.GetValueOrDefault(job);
            var parts = new Dictionary<string, double>(StringComparer.Ordinal) { ["replicas on node"] = onNode };
            if (!node.Labels.TryGetValue(label, out var value))
            {
                parts[$"no {label} label"] = 1;
                return new RawScore(unlabelled, parts, TieBreak: onNode);
            }
            var inGroup = byValue.GetValueOrDefault(value);
            parts[$"replicas in {label}={value}"] = inGroup;
            return new RawScore(-inGroup, parts, TieBreak: onNode);
        }).ToList();
    }

    public IReadOnlyList<double> Normalize(IReadOnlyList<double> raw) => ScoreNormalization.MinMax(raw);
}
