using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class ExcludedNodeFilterTests
{
    private readonly ExcludedNodeFilter _filter = new();

    [Fact]
    public void A_node_the_request_excludes_is_refused()
    {
        var result = _filter.Check(Context(Job(), excluded: ["node-a"]), Node("node-a"));

        Assert.Equal(RejectionReasons.Excluded, result.Reason);
    }

    [Fact]
    public void Other_nodes_pass()
    {
        Assert.True(_filter.Check(Context(Job(), excluded: ["node-a"]), Node("node-b")).Feasible);
    }
}
