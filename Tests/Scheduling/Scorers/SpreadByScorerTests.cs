using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Scheduling.Scorers;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Scorers;

public sealed class SpreadByScorerTests
{
    private readonly SpreadByScorer _scorer = new();

    private static NodeInfo Zoned(string name, string? zone, int replicas, NodeStatus status = NodeStatus.Ready) =>
        Node(name) with
        {
            Status = status,
            Labels = zone is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["zone"] = zone },
            TasksByJob = new Dictionary<string, int> { ["web"] = replicas, ["other"] = 5 },
        };

    [Fact]
    public void The_zone_with_fewest_replicas_of_the_job_scores_highest_counting_every_ready_node_of_the_zone()
    {
        // Zone a holds 2 (one on each of its nodes), b 1, c 0; a1 is full, so only a2 is feasible there but a1 still counts.
        var a1 = Zoned("a1", "a", 1);
        var a2 = Zoned("a2", "a", 1);
        var b1 = Zoned("b1", "b", 1);
        var c1 = Zoned("c1", "c", 0);
        var context = Context(Job(name: "web") with { SpreadBy = "zone" }, nodes: [a1, a2, b1, c1]);

        var raw = _scorer.Score(context, [a2, b1, c1]);

        Assert.Equal([-2, -1, 0], raw.Select(r => r.Value));
        Assert.Equal([100, 50, 0], _scorer.Normalize(raw.Select(r => r.Value).ToList()).Reverse());
        Assert.Equal(2, raw[0].Parts["replicas in zone=a"]);
        Assert.Equal(1, raw[0].Parts["replicas on node"]);
    }

    [Fact]
    public void Within_a_zone_the_node_with_fewer_replicas_wins_the_tie_break()
    {
        var busy = Zoned("a1", "a", 2);
        var idle = Zoned("a2", "a", 0);
        var context = Context(Job(name: "web") with { SpreadBy = "zone" }, nodes: [busy, idle]);

        var raw = _scorer.Score(context, [busy, idle]);

        Assert.Equal(raw[0].Value, raw[1].Value);
        Assert.Equal([2, 0], raw.Select(r => r.TieBreak));
    }

    [Fact]
    public void Replicas_on_down_or_draining_nodes_do_not_count_and_an_unlabelled_node_comes_last()
    {
        var down = Zoned("a1", "a", 3, NodeStatus.Down);
        var draining = Zoned("a2", "a", 3, NodeStatus.Draining);
        var a3 = Zoned("a3", "a", 0);
        var b1 = Zoned("b1", "b", 1);
        var bare = Zoned("x1", null, 0);
        var context = Context(Job(name: "web") with { SpreadBy = "zone" }, nodes: [down, draining, a3, b1, bare]);

        var raw = _scorer.Score(context, [a3, b1, bare]);

        Assert.Equal([0, -1, -2], raw.Select(r => r.Value));
        Assert.Equal(1, raw[2].Parts["no zone label"]);
    }

    [Fact]
    public void Without_spreadBy_every_node_scores_the_same_with_no_parts()
    {
        var nodes = new[] { Zoned("a1", "a", 2), Zoned("b1", "b", 0) };

        var raw = _scorer.Score(Context(Job(name: "web"), nodes: nodes), nodes);

        Assert.All(raw, r => Assert.Equal(0, r.Value));
        Assert.All(raw, r => Assert.Empty(r.Parts));
        Assert.All(raw, r => Assert.Equal(0, r.TieBreak));
    }
}
