using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling;

/// <summary>The placement rules of a job (operator constraints, spreadBy, distinctNodes) through the whole pipeline.</summary>
public sealed class PlacementRulesPipelineTests
{
    private readonly PlacementPipeline _pipeline = PlacementPipeline.Default;

    private static NodeInfo Zoned(string name, string zone, double allocatedCpu = 0) =>
        Node(name, allocatedCpu: allocatedCpu) with { Labels = new Dictionary<string, string> { ["zone"] = zone } };

    // a1 is the busiest node, so binpack alone puts every replica there.
    private static readonly NodeInfo[] FourNodesThreeZones = [Zoned("a1", "a", allocatedCpu: 2), Zoned("a2", "a"), Zoned("b1", "b"), Zoned("c1", "c")];

    [Theory]
    [InlineData(null, "a1,a1,a1")]
    [InlineData("zone", "a1,b1,c1")]
    public void Three_replicas_spread_by_zone_under_binpack_land_in_three_zones(string? spreadBy, string expected)
    {
        var plan = _pipeline.Plan(Job(replicas: 3) with { SpreadBy = spreadBy }, FourNodesThreeZones, SchedulerNames.BinPack);

        Assert.Empty(plan.Unplaced);
        Assert.Equal(expected, string.Join(",", plan.Placements.Select(p => p.Node)));
    }

    [Fact]
    public void Zones_balance_first_then_the_nodes_of_a_zone()
    {
        // Zone a has two nodes, b one: six replicas go 3 and 3, and zone a's three go 2 and 1 over its nodes.
        var nodes = new[] { Zoned("a1", "a"), Zoned("a2", "a"), Zoned("b1", "b") };

        var plan = _pipeline.Plan(Job(cpu: 0.1, replicas: 6) with { SpreadBy = "zone" }, nodes, SchedulerNames.BinPack);

        var byNode = plan.Placements.GroupBy(p => p.Node).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, byNode["b1"]);
        Assert.Equal([1, 2], new[] { byNode["a1"], byNode["a2"] }.Order());
    }

    [Fact]
    public void The_spreadBy_counts_are_parts_of_the_chosen_nodes_score()
    {
        var plan = _pipeline.Plan(Job(replicas: 2) with { SpreadBy = "zone" }, FourNodesThreeZones, SchedulerNames.BinPack);

        var second = plan.Placements[1];
        var parts = second.Explanation.Candidates.Single(c => c.Node == second.Node).Parts;
        Assert.Equal(0, parts[$"replicas in zone={second.Node[..1]}"]);
        Assert.Equal(0, parts["replicas on node"]);
        Assert.True(parts.ContainsKey("cpu"), "the scheduler's own parts stay beside spreadBy's");
        Assert.Equal(1, second.Explanation.Candidates.Single(c => c.Node == plan.Placements[0].Node).Parts["replicas on node"]);
    }

    [Fact]
    public void DistinctNodes_places_one_replica_per_node_and_leaves_the_rest_unplaced_with_the_reason()
    {
        var nodes = new[] { Node("node-a"), Node("node-b"), Node("node-c") };

        var plan = _pipeline.Plan(Job(cpu: 0.1, replicas: 4) with { DistinctNodes = true }, nodes, SchedulerNames.BinPack);

        Assert.Equal(["node-a", "node-b", "node-c"], plan.Placements.Select(p => p.Node).Order());
        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Equal("0/3 nodes available: 3 replica already on node", unplaced.Reasons[0]);
        Assert.Contains("node-a: replica already on node: distinctNodes, and the node runs a replica of web", unplaced.Reasons);
        Assert.Equal("2/3 nodes available: 1 replica already on node", plan.Placements[1].Explanation.Summary());
    }

    [Fact]
    public void An_in_constraint_refuses_the_other_zones_naming_the_rule()
    {
        var constrained = Job(replicas: 1) with
        {
            Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In, Values = ["b", "c"] } },
        };

        var explanation = _pipeline.Rank(constrained, FourNodesThreeZones, [], SchedulerNames.BinPack, 0);

        Assert.Equal(["b1", "c1"], explanation.Candidates.Select(c => c.Node).Order());
        Assert.Equal("2/4 nodes available: 2 constraint mismatch", explanation.Summary());
        Assert.Contains(new NodeRejection("a2", RejectionReasons.ConstraintMismatch, "constraint mismatch: label zone wants one of b, c, node has a"), explanation.Rejections);
    }
}
