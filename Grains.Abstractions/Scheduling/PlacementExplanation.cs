namespace Orchestrator.Abstractions.Scheduling;

/// <summary>
/// Why a task went where it did (or nowhere): every candidate's score, best first, and every rejected
/// node's reason. Mirrors Nomad's AllocMetric.
/// </summary>
[GenerateSerializer, Immutable, Alias("placement-explanation")]
public sealed record PlacementExplanation
{
    [Id(0)] public string Scheduler { get; init; } = "";
    [Id(1)] public int NodesEvaluated { get; init; }
    /// <summary>Feasible nodes, best first.</summary>
    [Id(2)] public IReadOnlyList<NodeScore> Candidates { get; init; } = [];
    [Id(3)] public IReadOnlyList<NodeRejection> Rejections { get; init; } = [];
    /// <summary>The node that accepted the reservation, if any.</summary>
    [Id(4)] public string? ChosenNode { get; init; }
    /// <summary>Feasible nodes in all, once <see cref="Condensed"/> kept only the best few in <see cref="Candidates"/>.</summary>
    [Id(5)] public int? FeasibleNodes { get; init; }
    /// <summary>Rejections by reason, once <see cref="Condensed"/> kept only a few in <see cref="Rejections"/>.</summary>
    [Id(6)] public IReadOnlyDictionary<string, int>? RejectionCounts { get; init; }

    /// <summary>
    /// At most <paramref name="keep"/> candidates (the chosen node always among them) and rejections, with the
    /// totals for the summary: what a task stores, so its state does not grow with the cluster (Nomad keeps five scores).
    /// </summary>
    public PlacementExplanation Condensed(int keep)
    {
        if (Candidates.Count <= keep && Rejections.Count <= keep)
        {
            return this;
        }
        var best = Candidates.Take(keep).ToList();
        if (ChosenNode is { } chosen && !best.Exists(c => c.Node == chosen) && Candidates.FirstOrDefault(c => c.Node == chosen) is { } kept)
        {
            best[^1] = kept;
        }
        return this with
        {
            FeasibleNodes = FeasibleNodes ?? Candidates.Count,
            RejectionCounts = RejectionCounts ?? Rejections.GroupBy(r => r.Reason, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Candidates = best.ToArray(),
            Rejections = Rejections.Take(keep).ToArray(),
        };
    }

    /// <summary>Kubernetes-style summary: <c>0/3 nodes available: 2 insufficient cpu, 1 draining</c>.</summary>
    public string Summary()
    {
        var byReason = RejectionCounts ?? Rejections.GroupBy(r => r.Reason, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var counts = byReason
            .OrderByDescending(r => r.Value)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Value} {r.Key}");
        var summary = $"{FeasibleNodes ?? Candidates.Count}/{NodesEvaluated} nodes available";
        return byReason.Count == 0 ? summary : $"{summary}: {string.Join(", ", counts)}";
    }
}
