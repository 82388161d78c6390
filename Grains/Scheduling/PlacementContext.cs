using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// What every filter and scorer sees about the placement at hand: the job, the nodes the request
/// leaves out, how many nodes the cluster has (E-PVM's cost base), the round-robin counter, and every
/// node evaluated, feasible or not (where the job's other replicas are, for <c>spreadBy</c>).
/// </summary>
public sealed record PlacementContext(
    JobSpec Spec,
    IReadOnlyCollection<string> ExcludedNodes,
    int ClusterSize,
    long RoundRobinTick,
    IReadOnlyList<NodeInfo> Nodes);
