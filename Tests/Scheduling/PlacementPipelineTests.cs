using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling;

public sealed class PlacementPipelineTests
{
    private readonly PlacementPipeline _pipeline = PlacementPipeline.Default;

    [Fact]
    public void Rejections_are_explained_and_summarised_kubernetes_style()
    {
        // The job needs 1.5 cores. node-a has 0.5 free, node-b none, node-c is draining (its free cores don't matter).
        var nodes = new[]
        {
            Node("node-a", cpus: 2, allocatedCpu: 1.5),
            Node("node-b", cpus: 1, allocatedCpu: 1),
            Node("node-c", cpus: 8) with { Status = NodeStatus.Draining },
        };

        var explanation = _pipeline.Rank(Job(cpu: 1.5), nodes, [], SchedulerNames.Spread, 0);

        Assert.Equal("0/3 nodes available: 2 insufficient cpu, 1 node draining", explanation.Summary());
        Assert.Equal(3, explanation.NodesEvaluated);
        Assert.Empty(explanation.Candidates);
        Assert.Equal(
            [
                new NodeRejection("node-a", RejectionReasons.InsufficientCpu, "insufficient cpu: need 1.5, free 0.5"),
                new NodeRejection("node-b", RejectionReasons.InsufficientCpu, "insufficient cpu: need 1.5, free 0"),
                new NodeRejection("node-c", RejectionReasons.NodeDraining, "node draining"),
            ],
            explanation.Rejections);
    }

    [Fact]
    public void A_node_is_rejected_for_the_first_filter_that_refuses_it()
    {
        // Down and too small: readiness runs before resources, so "node down" is the reason.
        var node = Node("node-a", cpus: 1) with { Status = NodeStatus.Down };

        var explanation = _pipeline.Rank(Job(cpu: 2), [node], [], SchedulerNames.Epvm, 0);

        Assert.Equal(RejectionReasons.NodeDown, Assert.Single(explanation.Rejections).Reason);
    }

    [Fact]
    public void Candidates_come_best_first_and_equal_scores_by_name()
    {
        var nodes = new[] { Node("node-c"), Node("node-b", allocatedCpu: 2), Node("node-a") };

        var explanation = _pipeline.Rank(Job(cpu: 1), nodes, [], SchedulerNames.Spread, 0);

        Assert.Equal(["node-a", "node-c", "node-b"], explanation.Candidates.Select(c => c.Node));
        Assert.Equal(explanation.Candidates[0].Score, explanation.Candidates[1].Score);
        Assert.True(explanation.Candidates[1].Score > explanation.Candidates[2].Score);
        Assert.Equal("3/3 nodes available", explanation.Summary());
    }

    [Fact]
    public void Spread_breaks_equal_scores_by_fewest_tasks_of_the_same_job()
    {
        // Equal allocations; node-a already runs a replica of web, node-b a task of another job.
        var nodes = new[]
        {
            Node("node-a", allocatedCpu: 1) with { TasksByJob = new Dictionary<string, int> { ["web"] = 1 } },
            Node("node-b", allocatedCpu: 1) with { TasksByJob = new Dictionary<string, int> { ["db"] = 1 } },
        };

        var explanation = _pipeline.Rank(Job(name: "web"), nodes, [], SchedulerNames.Spread, 0);

        Assert.Equal("node-b", explanation.Candidates[0].Node);
        Assert.Equal(1, explanation.Candidates[1].Parts["jobTasks"]);
    }

    [Fact]
    public void Excluded_nodes_are_rejected_as_excluded()
    {
        var explanation = _pipeline.Rank(Job(), [Node("node-a"), Node("node-b")], ["node-a"], SchedulerNames.Epvm, 0);

        Assert.Equal("node-b", Assert.Single(explanation.Candidates).Node);
        Assert.Equal("1/2 nodes available: 1 excluded", explanation.Summary());
    }

    [Fact]
    public void Round_robin_places_consecutive_ticks_on_consecutive_nodes()
    {
        var nodes = new[] { Node("node-b"), Node("node-c"), Node("node-a") };

        var chosen = Enumerable.Range(0, 4)
            .Select(tick => _pipeline.Rank(Job(), nodes, [], SchedulerNames.RoundRobin, tick).Candidates[0].Node);

        Assert.Equal(["node-a", "node-b", "node-c", "node-a"], chosen);
    }

    [Fact]
    public void The_default_pipeline_knows_every_scheduler_name()
    {
        Assert.Equal(SchedulerNames.All.Order(StringComparer.Ordinal), _pipeline.Scorers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_scheduler_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => _pipeline.Rank(Job(), [Node("node-a")], [], "fastest", 0));

        Assert.Contains("fastest", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SchedulerNames.Spread, 2, 2)]
    [InlineData(SchedulerNames.Epvm, 2, 2)]
    [InlineData(SchedulerNames.BinPack, 4, 0)]
    [InlineData(SchedulerNames.RoundRobin, 2, 2)]
    public void Plan_of_four_replicas_over_two_equal_nodes(string scheduler, int onA, int onB)
    {
        // 4 cores, 4096 MB each; 4 replicas of 0.5 core, 256 MB all fit on one node.
        var nodes = new[] { Node("node-a"), Node("node-b") };

        var plan = _pipeline.Plan(Job(replicas: 4), nodes, scheduler);

        Assert.Equal("web", plan.Job);
        Assert.Empty(plan.Unplaced);
        Assert.Equal([0, 1, 2, 3], plan.Placements.Select(p => p.Replica));
        Assert.Equal(onA, plan.Placements.Count(p => p.Node == "node-a"));
        Assert.Equal(onB, plan.Placements.Count(p => p.Node == "node-b"));
    }

    [Fact]
    public void Plan_reports_a_job_too_large_for_any_node_with_the_cpu_reason()
    {
        var nodes = new[] { Node("node-a", cpus: 4), Node("node-b", cpus: 2, allocatedCpu: 0.5) };

        var plan = _pipeline.Plan(Job(cpu: 8, replicas: 2), nodes, SchedulerNames.Epvm);

        Assert.Empty(plan.Placements);
        Assert.Equal([0, 1], plan.Unplaced.Select(u => u.Replica));
        Assert.Equal(
            ["0/2 nodes available: 2 insufficient cpu", "node-a: insufficient cpu: need 8, free 4", "node-b: insufficient cpu: need 8, free 1.5"],
            plan.Unplaced[0].Reasons);
    }

    [Fact]
    public void Plan_counts_earlier_replicas_and_leaves_its_input_unchanged()
    {
        // Room for 1.5 / 0.5 = 3 replicas in total: the fourth finds both nodes full.
        var nodes = new[] { Node("node-a", cpus: 1), Node("node-b", cpus: 0.5) };
        var before = nodes.ToArray();

        var plan = _pipeline.Plan(Job(cpu: 0.5, replicas: 4), nodes, SchedulerNames.BinPack);

        Assert.Equal(3, plan.Placements.Count);
        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Equal(3, unplaced.Replica);
        Assert.Contains("node-a: insufficient cpu: need 0.5, free 0", unplaced.Reasons);
        Assert.Equal(before, nodes);
        Assert.All(nodes, n => Assert.Equal(0, n.AllocatedCpu));
    }

    [Fact]
    public void Plan_keeps_a_fixed_host_port_to_one_replica_per_node()
    {
        var spec = Job(replicas: 3) with { Ports = [new PortSpec { Container = 80, Host = 8080 }] };

        var plan = _pipeline.Plan(spec, [Node("node-a"), Node("node-b")], SchedulerNames.BinPack);

        Assert.Equal(["node-a", "node-b"], plan.Placements.Select(p => p.Node).Order(StringComparer.Ordinal));
        Assert.Contains("0/2 nodes available: 2 port in use", Assert.Single(plan.Unplaced).Reasons);
    }

    [Fact]
    public void Each_planned_placement_carries_its_explanation_with_the_chosen_node()
    {
        var plan = _pipeline.Plan(Job(replicas: 1), [Node("node-a"), Node("node-b", allocatedCpu: 3)], SchedulerNames.Epvm);

        var placement = Assert.Single(plan.Placements);
        Assert.Equal("node-a", placement.Node);
        Assert.Equal("node-a", placement.Explanation.ChosenNode);
        Assert.Equal(placement.Score, placement.Explanation.Candidates[0].Score);
        Assert.Equal(SchedulerNames.Epvm, placement.Explanation.Scheduler);
    }

    [Fact]
    public void A_plan_keeps_score_parts_for_the_best_candidates_it_is_asked_to_and_ranks_the_same()
    {
        var nodes = new[] { Node("node-a"), Node("node-b", allocatedCpu: 1), Node("node-c", allocatedCpu: 2) };

        var full = _pipeline.Plan(Job(replicas: 3), nodes, SchedulerNames.Epvm);
        var lean = _pipeline.Plan(Job(replicas: 3), nodes, SchedulerNames.Epvm, detailed: 2);

        Assert.Equal(full.Placements.Select(p => (p.Node, p.Score)), lean.Placements.Select(p => (p.Node, p.Score)));
        foreach (var (whole, kept) in full.Placements.Zip(lean.Placements))
        {
            Assert.Equal(whole.Explanation.Candidates.Select(c => c.Node), kept.Explanation.Candidates.Select(c => c.Node));
            Assert.Equal(whole.Explanation.Candidates.Take(2).Select(c => c.Parts), kept.Explanation.Candidates.Take(2).Select(c => c.Parts));
            Assert.All(kept.Explanation.Candidates.Skip(2), c => Assert.Empty(c.Parts));
            Assert.All(whole.Explanation.Candidates, c => Assert.NotEmpty(c.Parts));
        }
    }
}
