using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Scorers;

/// <summary>
/// Most allocated first (Kubernetes' MostAllocated, Nomad's binpack): fill busy nodes and keep others
/// whole for large jobs.
/// <code>score = 100 × (u_cpu,after + u_memory,after) / 2</code>
/// where <c>u_after</c> is the allocated share of the node once the replica is added.
/// </summary>
public sealed class BinPackScorer : IPlacementScorer
{
    public string Name => SchedulerNames.BinPack;

    public bool ScoresEachNodeAlone(PlacementContext context) => true;

    public IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feasible);
        return feasible.Select(node =>
        {
            var cpu = Utilisation.CpuAfter(node, context.Spec.Resources);
            var memory = Utilisation.MemoryAfter(node, context.Spec.Resources);
            var parts = new Dictionary<string, double>(StringComparer.Ordinal) { ["cpu"] = cpu, ["memory"] = memory };
            return new RawScore(ScoreNormalization.Max * (cpu + memory) / 2, parts);
        }).ToList();
    }

    /// <summary>Already on 0–100 in absolute terms; rescaling would only hide how full the nodes are.</summary>
    public IReadOnlyList<double> Normalize(IReadOnlyList<double> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return raw.Select(v => Math.Clamp(v, 0, ScoreNormalization.Max)).ToList();
    }
}
