using System.Collections.Immutable;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// Ranks a fixed list of nodes (sorted by name) for one replica after another, remembering the raw scores that
/// cannot have changed: a scorer that judges each node alone (<see cref="IPlacementScorer.ScoresEachNodeAlone"/>)
/// scores a node again only after <see cref="Forget"/>, when a replica landed on it. A plan of a thousand replicas
/// on a hundred nodes then scores a hundred nodes once and one node per replica, instead of a hundred per replica.
/// </summary>
internal sealed class NodeRanking
{
    /// <summary>Decimals a normalised score keeps, so binary noise never decides between equal nodes.</summary>
    private const int ScoreDecimals = 6;

    private static readonly IReadOnlyDictionary<string, double> NoParts = ImmutableDictionary<string, double>.Empty;

    private readonly IPlacementScorer _scorer;
    private readonly IPlacementScorer[] _stages;
    private readonly bool[] _alone;

    // Per stage, per node of the list: the raw score, or null when it must be computed (again).
    private readonly RawScore?[][] _raw;

    /// <param name="preferences">Scorers that rank before the job's own, in order.</param>
    /// <param name="scorer">The job's scorer; a node's score is its normalised score.</param>
    /// <param name="context">The placement; <see cref="PlacementContext.Nodes"/> is the list every call ranks.</param>
    public NodeRanking(IEnumerable<IPlacementScorer> preferences, IPlacementScorer scorer, PlacementContext context)
    {
        _scorer = scorer;
        _stages = [.. preferences, scorer];
        _alone = [.. _stages.Select(s => s.ScoresEachNodeAlone(context))];
        _raw = [.. _stages.Select(_ => new RawScore?[context.Nodes.Count])];
    }

    /// <summary>The node at <paramref name="index"/> changed: its remembered raw scores no longer hold.</summary>
    public void Forget(int index)
    {
        foreach (var raw in _raw)
        {
            raw[index] = null;
        }
    }

    /// <summary>
    /// The explanation of one ranking of <see cref="PlacementContext.Nodes"/>, from each node's first refusal (null:
    /// it passed every filter). The <paramref name="detailed"/> best candidates keep their score's parts. With
    /// <paramref name="keep"/>, the explanation is already what <see cref="PlacementExplanation.Condensed"/> makes of
    /// it, and only the kept candidates are ordered.
    /// </summary>
    public PlacementExplanation Explain(PlacementContext context, IReadOnlyList<NodeRejection?> refusals, int detailed, int keep)
    {
        var nodes = context.Nodes;
        var feasible = new List<int>(nodes.Count);
        var rejections = new List<NodeRejection>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (refusals[i] is { } refusal)
            {
                rejections.Add(refusal);
            }
            else
            {
                feasible.Add(i);
            }
        }
        var explanation = new PlacementExplanation
        {
            Scheduler = _scorer.Name,
            NodesEvaluated = nodes.Count,
            Candidates = Candidates(context, feasible, detailed, keep),
            Rejections = rejections,
        };
        return feasible.Count <= keep && rejections.Count <= keep
            ? explanation
            : explanation with
            {
                FeasibleNodes = feasible.Count,
                RejectionCounts = rejections.GroupBy(r => r.Reason, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                Rejections = rejections.Take(keep).ToArray(),
            };
    }

    /// <summary>
    /// The feasible nodes best first (at most <paramref name="keep"/>): by each preference's normalised score and
    /// tie-break in turn, then the job's scorer's, then name. A node's score is the job's scorer's; its parts are
    /// every scorer's.
    /// </summary>
    private List<NodeScore> Candidates(PlacementContext context, List<int> feasible, int detailed, int keep)
    {
        if (feasible.Count == 0)
        {
            return [];
        }
        var normalised = new double[_stages.Length][];
        for (var s = 0; s < _stages.Length; s++)
        {
            normalised[s] = Normalised(s, context, feasible);
        }
        int Compare(int a, int b)
        {
            for (var s = 0; s < _stages.Length; s++)
            {
                var byScore = normalised[s][b].CompareTo(normalised[s][a]);
                if (byScore != 0)
                {
                    return byScore;
                }
                var byTieBreak = _raw[s][feasible[a]]!.TieBreak.CompareTo(_raw[s][feasible[b]]!.TieBreak);
                if (byTieBreak != 0)
                {
                    return byTieBreak;
                }
            }
            return string.CompareOrdinal(context.Nodes[feasible[a]].Name, context.Nodes[feasible[b]].Name);
        }
        var order = Best(feasible.Count, Math.Min(keep, feasible.Count), Compare);
        var own = normalised[^1];
        var candidates = new List<NodeScore>(order.Length);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var j = order[rank];
            var node = feasible[j];
            candidates.Add(new NodeScore(context.Nodes[node].Name, own[j], rank < detailed ? Parts(node) : NoParts));
        }
        return candidates;
    }

    /// <summary>Stage <paramref name="s"/>'s normalised scores of the feasible nodes, scoring those it must.</summary>
    private double[] Normalised(int s, PlacementContext context, List<int> feasible)
    {
        var raw = _raw[s];
        var stale = _alone[s] ? feasible.Where(i => raw[i] is null).ToList() : feasible;
        if (stale.Count > 0)
        {
            var fresh = _stages[s].Score(context, stale.Select(i => context.Nodes[i]).ToList());
            for (var k = 0; k < stale.Count; k++)
            {
                raw[stale[k]] = fresh[k];
            }
        }
        var values = new double[feasible.Count];
        for (var j = 0; j < feasible.Count; j++)
        {
            values[j] = raw[feasible[j]]!.Value;
        }
        var normalised = _stages[s].Normalize(values);
        var rounded = new double[normalised.Count];
        for (var j = 0; j < rounded.Length; j++)
        {
            rounded[j] = Math.Round(normalised[j], ScoreDecimals);
        }
        return rounded;
    }

    /// <summary>
    /// The <paramref name="count"/> best of <c>0..n-1</c> by <paramref name="compare"/>, best first. Names are unique,
    /// so the order is total and any selection gives the same answer as sorting all of them.
    /// </summary>
    private static int[] Best(int n, int count, Comparison<int> compare)
    {
        if (count == n)
        {
            var all = Enumerable.Range(0, n).ToArray();
            Array.Sort(all, compare);
            return all;
        }
        var best = new int[count];
        var held = 0;
        for (var candidate = 0; candidate < n; candidate++)
        {
            if (held == count && compare(candidate, best[held - 1]) >= 0)
            {
                continue;
            }
            var at = held < count ? held++ : count - 1;
            while (at > 0 && compare(candidate, best[at - 1]) < 0)
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = candidate;
        }
        return best;
    }

    private Dictionary<string, double> Parts(int node)
    {
        var parts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in _raw)
        {
            foreach (var (name, value) in raw[node]!.Parts)
            {
                parts[name] = value;
            }
        }
        return parts;
    }
}
