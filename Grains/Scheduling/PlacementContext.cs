using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// What every filter and scorer sees about the placement at hand: the job, the nodes the request
/// leaves out, how many nodes the cluster has (E-PVM's cost base) and the round-robin counter.
/// </summary>
public sealed record PlacementContext(
    JobSpec Spec,
    IReadOnlyCollection<string> ExcludedNodes,
    int ClusterSize,
    long RoundRobinTick);
