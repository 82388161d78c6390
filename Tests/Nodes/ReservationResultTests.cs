using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>A node's refusal as the task's placement explains it.</summary>
public sealed class ReservationResultTests
{
    [Fact]
    public void A_refusal_is_counted_under_its_class_and_keeps_its_numbers()
    {
        var refused = ReservationResult.Refused(RejectionReasons.InsufficientMemory, "insufficient memory: need 256 MB, free 124 MB");

        Assert.Equal(new NodeRejection("node-a", RejectionReasons.InsufficientMemory, "insufficient memory: need 256 MB, free 124 MB"), refused.RejectionOn("node-a"));
    }

    [Fact]
    public void A_refusal_from_a_node_of_an_earlier_version_keeps_its_words_under_a_fixed_class()
    {
        // Such a node fills only [Id(1)], its words, and no class.
        var refused = new ReservationResult(false, "insufficient cpu: need 1.5, free 0.5", null);

        var rejection = refused.RejectionOn("node-a");

        Assert.Equal(new NodeRejection("node-a", RejectionReasons.RefusedByNode, "insufficient cpu: need 1.5, free 0.5"), rejection);
        Assert.Equal("0/1 nodes available: 1 refused by node", new PlacementExplanation { NodesEvaluated = 1, Rejections = [rejection] }.Summary());
    }
}
