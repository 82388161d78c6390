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

    /// <summary>Kubernetes-style summary: <c>0/3 nodes available: 2 insufficient cpu, 1 draining</c>.</summary>
    public string Summary()
    {
        var counts = Rejections
            .GroupBy(r => r.Reason, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}");
        var summary = $"{Candidates.Count}/{NodesEvaluated} nodes available";
        return Rejections.Count == 0 ? summary : $"{summary}: {string.Join(", ", counts)}";
    }
}
