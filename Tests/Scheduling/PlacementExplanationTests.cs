using Orchestrator.Abstractions.Scheduling;
using Xunit;

namespace Orchestrator.Tests.Scheduling;

/// <summary>What a task keeps of its placement on a large cluster: the best few, the chosen node, and the same summary.</summary>
public sealed class PlacementExplanationTests
{
    [Fact]
    public void A_condensed_explanation_keeps_the_chosen_node_and_the_totals_of_the_summary()
    {
        var candidates = Enumerable.Range(0, 40).Select(i => new NodeScore($"n{i}", 1.0 - (i / 100.0), new Dictionary<string, double>())).ToArray();
        var rejections = Enumerable.Range(40, 60).Select(i => new NodeRejection($"n{i}", i % 3 == 0 ? "draining" : "insufficient cpu", $"n{i} said no")).ToArray();
        var full = new PlacementExplanation { Scheduler = "spread", NodesEvaluated = 100, Candidates = candidates, Rejections = rejections, ChosenNode = "n17" };

        var kept = full.Condensed(5);

        Assert.Equal(5, kept.Candidates.Count);
        Assert.Contains(kept.Candidates, c => c.Node == "n17");
        Assert.Equal(["n0", "n1", "n2", "n3"], kept.Candidates.Take(4).Select(c => c.Node));
        Assert.Equal(5, kept.Rejections.Count);
        Assert.Equal("40/100 nodes available: 40 insufficient cpu, 20 draining", full.Summary());
        Assert.Equal(full.Summary(), kept.Summary());
        Assert.Equal(kept, kept.Condensed(5));
    }

    [Fact]
    public void A_small_explanation_is_kept_whole()
    {
        var small = new PlacementExplanation
        {
            Scheduler = "epvm",
            NodesEvaluated = 3,
            Candidates = [new NodeScore("a", 1, new Dictionary<string, double>())],
            Rejections = [new NodeRejection("b", "draining", "node draining")],
            ChosenNode = "a",
        };
        Assert.Same(small, small.Condensed(5));
        Assert.Equal("1/3 nodes available: 1 draining", small.Summary());
    }
}
