using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class NodeReadyFilterTests
{
    private readonly NodeReadyFilter _filter = new();

    [Fact]
    public void A_ready_node_passes()
    {
        Assert.True(_filter.Check(Context(Job()), Node("node-a")).Feasible);
    }

    [Fact]
    public void A_draining_node_is_refused_as_draining()
    {
        var node = Node("node-a") with { Status = NodeStatus.Draining };

        var result = _filter.Check(Context(Job()), node);

        Assert.Equal(RejectionReasons.NodeDraining, result.Reason);
        Assert.Equal("node draining", result.Detail);
    }

    [Fact]
    public void A_down_node_is_refused_as_down_with_its_status_reason()
    {
        var node = Node("node-a") with { Status = NodeStatus.Down, StatusReason = "silo declared dead" };

        var result = _filter.Check(Context(Job()), node);

        Assert.Equal(RejectionReasons.NodeDown, result.Reason);
        Assert.Equal("node down: silo declared dead", result.Detail);
    }
}
