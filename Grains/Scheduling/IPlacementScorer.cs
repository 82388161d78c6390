using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// Ranks the nodes that passed every filter. Scoring and normalising are separate steps, as in the
/// Kubernetes scheduling framework: a raw score keeps the scorer's own unit (E-PVM's cost, a
/// rotation position) for the explanation, and normalising maps it onto 0–100 for comparison.
/// </summary>
public interface IPlacementScorer
{
    /// <summary>
    /// The scheduler name a job selects this scorer with (see <c>SchedulerNames</c>); for a preference
    /// (<c>PlacementPipeline.Preferences</c>), the job file field that turns it on.
    /// </summary>
    string Name { get; }

    /// <summary>One raw score per node of <paramref name="feasible"/>, in the same order; higher is better.</summary>
    IReadOnlyList<RawScore> Score(PlacementContext context, IReadOnlyList<NodeInfo> feasible);

    /// <summary>
    /// Whether a node's raw score depends only on that node and the placement, not on which other nodes are scored
    /// with it or on the round-robin tick: a plan then scores a node again only after a replica landed on it.
    /// </summary>
    bool ScoresEachNodeAlone(PlacementContext context);

    /// <summary>Maps raw values onto 0–100 (100 best), in the same order.</summary>
    IReadOnlyList<double> Normalize(IReadOnlyList<double> raw);
}
