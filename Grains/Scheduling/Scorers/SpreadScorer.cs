using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Scorers;

/// <summary>
/// Least allocated first (Kubernetes' LeastAllocated, Nomad's spread): keep every node lightly loaded.
/// <code>score = 100 × ((1 − u_cpu,after) + (1 − u_memory,after)) / 2</code>
/// Equal scores go to the node with the fewest live tasks of the same job, so replicas of one job land
/// on different nodes even when other jobs have made the nodes' allocations equal.
/// </summary>
public sealed class SpreadScorer : IPlacementScorer
{
    public string Name => SchedulerNames.Spread;

    public bool ScoresEachNodeAlone(PlacementContext context) => true;

    public IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feasible);
        return feasible.Select(node =>
        {
            var cpu = Utilisation.CpuAfter(node, context.Spec.Resources);
            var memory = Utilisation.MemoryAfter(node, context.Spec.Resources);
            var sameJob = node.TasksByJob.GetValueOrDefault(context.Spec.Name);
            var parts = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["cpu"] = cpu,
                ["memory"] = memory,
                ["jobTasks"] = sameJob,
            };
            return new RawScore(ScoreNormalization.Max * ((1 - cpu) + (1 - memory)) / 2, parts, TieBreak: sameJob);
        }).ToList();
    }

    /// <summary>Already on 0–100 in absolute terms; rescaling would only hide how empty the nodes are.</summary>
    public IReadOnlyList<double> Normalize(IReadOnlyList<double> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return raw.Select(v => Math.Clamp(v, 0, ScoreNormalization.Max)).ToList();
    }
}
