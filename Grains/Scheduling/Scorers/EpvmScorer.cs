using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Scorers;

/// <summary>
/// E-PVM, the opportunity-cost assignment of Amir, Awerbuch, Barak, Borgstrom and Keren ("An opportunity
/// cost approach for job assignment in a scalable computing cluster", IEEE TPDS 11(7), 2000).
/// </summary>
/// <remarks>
/// <para>
/// Each resource r of a node costs <c>base^u_r</c>, where <c>u_r</c> is the share of r in use. A node's
/// cost is the sum over its resources, and a task goes where it adds the least cost:
/// </para>
/// <code>
/// marginal cost = Σ_r ( base^u_r,after − base^u_r,before )
/// score         = −marginal cost            (higher is better; normalised min-max onto 0–100)
/// </code>
/// <para>
/// The resources are the cpu allocation (allocated cores / cores), the memory allocation (allocated MB /
/// MB) and, when the node reports it, the measured load (<c>Stats.CpuPercent / 100</c>, raised by the
/// task's cores / cores). A node whose load is unknown has no load term rather than a guessed one. No
/// term cancels out: each compares the node with itself before and after the task, so a node's cpu
/// allocation always counts.
/// </para>
/// <para>
/// The base is the number of nodes in the cluster, as in the paper (at least 2, so a one-node cluster
/// still has a growing cost). The exponential makes the last cores and megabytes of a node dear, so load
/// spreads while a node is empty and only crowds a node when the others are dearer still.
/// </para>
/// </remarks>
public sealed class EpvmScorer : IPlacementScorer
{
    public string Name => SchedulerNames.Epvm;

    /// <summary>The paper's base: the node count, at least 2.</summary>
    public static double CostBase(int clusterSize) => Math.Max(2, clusterSize);

    /// <summary>The cost base is the cluster's size, the same for every node of a placement.</summary>
    public bool ScoresEachNodeAlone(PlacementContext context) => true;

    public IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feasible);
        var costBase = CostBase(context.ClusterSize);
        return feasible.Select(node => Score(node, context.Spec.Resources, costBase)).ToList();
    }

    public IReadOnlyList<double> Normalize(IReadOnlyList<double> raw) => ScoreNormalization.MinMax(raw);

    /// <summary>The marginal cost of one replica on the node, with each resource's term.</summary>
    public static RawScore Score(NodeInfo node, ResourceSpec request, double costBase)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(request);
        var parts = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["cpu"] = Term(costBase, Utilisation.CpuBefore(node), Utilisation.CpuAfter(node, request)),
            ["memory"] = Term(costBase, Utilisation.MemoryBefore(node), Utilisation.MemoryAfter(node, request)),
        };
        if (node.Stats.CpuPercent is { } percent)
        {
            var load = percent / 100;
            parts["load"] = Term(costBase, load, load + Utilisation.Of(request.Cpu, node.Cpus));
        }
        var marginalCost = parts.Values.Sum();
        parts["marginalCost"] = marginalCost;
        return new RawScore(-marginalCost, parts);
    }

    private static double Term(double costBase, double before, double after) =>
        Math.Pow(costBase, after) - Math.Pow(costBase, before);
}
