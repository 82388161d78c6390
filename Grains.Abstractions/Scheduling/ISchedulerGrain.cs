using Orchestrator.Abstractions.Access;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Scheduling;

/// <summary>
/// Ranks nodes for a task: filters, then the job's scorer. Stateless and local to every silo; it reads
/// a cached view, so its ranking is advice: the node's ledger has the last word.
/// </summary>
[Alias("scheduler")]
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Every node filtered and scored for one replica, best candidate first.</summary>
    [Alias("rank")]
    Task<PlacementExplanation> RankAsync(PlacementRequest request);

    /// <summary>A dry run for a whole job: where each replica would go, counting the replicas before it.</summary>
    [Alias("plan"), ClientFacing]
    Task<PlanResult> PlanAsync(JobSpec spec);

    /// <summary>
    /// The plan a job starts its new replicas by: each replica's explanation keeps the <paramref name="keep"/> best
    /// candidates and rejections with their totals (<see cref="PlacementExplanation.Condensed"/>), what its task stores.
    /// </summary>
    [Alias("plan-condensed")]
    Task<PlanResult> PlanCondensedAsync(JobSpec spec, int keep);
}
