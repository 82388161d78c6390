using Orchestrator.Grains.Scheduling.Scorers;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Scorers;

public sealed class RoundRobinScorerTests
{
    private readonly RoundRobinScorer _scorer = new();

    [Theory]
    [InlineData(0, "node-a")]
    [InlineData(1, "node-b")]
    [InlineData(2, "node-c")]
    [InlineData(3, "node-a")]
    [InlineData(-1, "node-c")]
    public void The_tick_picks_the_node_in_name_order(long tick, string expected)
    {
        // Given out of order on purpose: the rotation follows names, not the order nodes arrive in.
        var nodes = new[] { Node("node-c"), Node("node-a"), Node("node-b") };

        var raw = _scorer.Score(Context(Job(), clusterSize: 3, tick: tick), nodes);
        var normalised = _scorer.Normalize(raw.Select(r => r.Value).ToList());

        var best = nodes[normalised.ToList().IndexOf(normalised.Max())];
        Assert.Equal(expected, best.Name);
    }

    [Fact]
    public void The_node_after_the_turn_is_next_best()
    {
        var nodes = new[] { Node("node-a"), Node("node-b"), Node("node-c") };

        var raw = _scorer.Score(Context(Job(), clusterSize: 3, tick: 1), nodes);

        // node-b's turn (position 0), node-c next (1), node-a last (2).
        Assert.Equal([2, 0, 1], raw.Select(r => r.Parts["position"]));
        Assert.Equal([0, 100, 50], _scorer.Normalize(raw.Select(r => r.Value).ToList()));
    }
}
