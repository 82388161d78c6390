using CsCheck;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling;
using Xunit;

namespace Orchestrator.Tests.Scheduling;

/// <summary>
/// A plan keeps each node's filter verdict, and the scores of scorers that judge each node alone, until a replica lands
/// on it. Whatever the nodes and the job, it must place and explain every replica exactly as ranking the whole cluster
/// again before each replica does; asked to keep only a few candidates, exactly as condensing that ranking does.
/// </summary>
public sealed class PlanPropertyTests
{
    private static readonly string[] Schedulers = [SchedulerNames.Epvm, SchedulerNames.RoundRobin, SchedulerNames.BinPack, SchedulerNames.Spread];

    private static readonly Gen<NodeInfo> OneNode =
        Gen.Select(Gen.Int[1, 8], Gen.Int[0, 6], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 1],
            (cpus, allocatedHalves, zone, webReplicas, port, down) =>
            {
                var allocatedCpu = Math.Min(cpus, allocatedHalves / 2.0);
                return new NodeInfo
                {
                    Name = "",
                    Status = down == 1 && zone == 0 ? NodeStatus.Down : NodeStatus.Ready,
                    Cpus = cpus,
                    MemoryMb = cpus * 1024L,
                    AllocatedCpu = allocatedCpu,
                    AllocatedMemoryMb = (long)(allocatedCpu * 512),
                    Tasks = webReplicas,
                    TasksByJob = new Dictionary<string, int> { ["web"] = webReplicas },
                    Labels = new Dictionary<string, string> { ["zone"] = $"z{zone}" },
                    UsedHostPorts = port == 0 ? [] : [8080],
                };
            });

    private static readonly Gen<JobSpec> OneJob =
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 6], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 1],
            (replicas, quarterCpus, scheduler, shape, fixedPort) => SchedulingFixtures.Job(cpu: quarterCpus / 4.0, memoryMb: quarterCpus * 128L, replicas: replicas) with
            {
                Scheduler = Schedulers[scheduler],
                DistinctNodes = shape == 1,
                SpreadBy = shape == 2 ? "zone" : null,
                Constraints = shape == 3 ? new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In, Values = ["z1", "z2"] } } : new Dictionary<string, LabelConstraint>(),
                Ports = fixedPort == 1 ? [new PortSpec { Container = 80, Host = 8080 }] : [],
            });

    [Fact]
    public void A_plan_places_and_explains_every_replica_as_ranking_every_node_again_would()
    {
        var pipeline = PlacementPipeline.Default;
        Gen.Select(OneNode.Array[1, 12], OneJob).Sample((generated, spec) =>
        {
            var nodes = generated.Select((n, i) => n with { Name = $"node-{i:D2}" }).ToList();

            var plan = pipeline.Plan(spec, nodes, spec.Scheduler!, detailed: 3);

            var expected = RankedAgainEachTime(pipeline, spec, nodes, keep: null);
            Assert.Equal(Describe(expected), Describe(plan));
        });
    }

    [Fact]
    public void A_plan_that_keeps_a_few_candidates_explains_each_replica_as_condensing_the_whole_ranking_would()
    {
        var pipeline = PlacementPipeline.Default;
        Gen.Select(OneNode.Array[1, 12], OneJob, Gen.Int[1, 4]).Sample((generated, spec, keep) =>
        {
            var nodes = generated.Select((n, i) => n with { Name = $"node-{i:D2}" }).ToList();

            var plan = pipeline.Plan(spec, nodes, spec.Scheduler!, detailed: keep, keep: keep);

            var expected = RankedAgainEachTime(pipeline, spec, nodes, keep);
            Assert.Equal(Describe(expected), Describe(plan));
        });
    }

    /// <summary>What a plan was before it kept verdicts: every node ranked again for every replica.</summary>
    private static PlanResult RankedAgainEachTime(PlacementPipeline pipeline, JobSpec spec, IReadOnlyList<NodeInfo> nodes, int? keep)
    {
        var working = nodes.ToList();
        var placements = new List<PlannedPlacement>();
        var unplaced = new List<UnplacedReplica>();
        for (var replica = 0; replica < spec.Replicas; replica++)
        {
            var explanation = pipeline.Rank(spec, working, [], spec.Scheduler!, replica, detailed: keep ?? 3);
            if (explanation.Candidates.Count == 0)
            {
                unplaced.Add(new UnplacedReplica(replica, [.. explanation.Rejections.Select(r => $"{r.Node}: {r.Detail}").Prepend(explanation.Summary())]));
                continue;
            }
            var best = explanation.Candidates[0];
            var chosen = explanation with { ChosenNode = best.Node };
            placements.Add(new PlannedPlacement(replica, best.Node, best.Score, keep is { } k ? chosen.Condensed(k) : chosen));
            var index = working.FindIndex(n => n.Name == best.Node);
            working[index] = PlacementPipeline.WithReplica(working[index], spec);
        }
        return new PlanResult { Job = spec.Name, Placements = placements, Unplaced = unplaced };
    }

    private static string Describe(PlanResult plan) => string.Join('\n',
        plan.Placements.Select(p => $"{p.Replica} -> {p.Node} {p.Score:R} [{Describe(p.Explanation)}]")
            .Concat(plan.Unplaced.Select(u => $"{u.Replica} unplaced: {string.Join(" | ", u.Reasons)}")));

    private static string Describe(PlacementExplanation explanation) =>
        $"{explanation.Scheduler} {explanation.NodesEvaluated} chosen {explanation.ChosenNode} of {explanation.FeasibleNodes}; "
        + string.Join(", ", explanation.Candidates.Select(c => $"{c.Node}={c.Score:R}({string.Join(" ", c.Parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value:R}"))})"))
        + "; " + string.Join(", ", explanation.Rejections.Select(r => $"{r.Node}:{r.Reason}:{r.Detail}"))
        + "; " + string.Join(", ", (explanation.RejectionCounts ?? new Dictionary<string, int>()).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
