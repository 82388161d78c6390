using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class DistinctNodeFilterTests
{
    private readonly DistinctNodeFilter _filter = new();

    [Theory]
    [InlineData(true, 0, 0, null)]
    [InlineData(true, 0, 3, null)]
    [InlineData(true, 1, 0, "replica already on node: distinctNodes, and the node runs a replica of web")]
    [InlineData(true, 2, 0, "replica already on node: distinctNodes, and the node runs 2 replicas of web")]
    [InlineData(false, 2, 0, null)]
    public void A_node_running_a_replica_of_the_job_is_refused_only_with_distinctNodes(bool distinct, int ownReplicas, int otherReplicas, string? detail)
    {
        var spec = Job(name: "web") with { DistinctNodes = distinct };
        var node = Node("node-a") with { TasksByJob = new Dictionary<string, int> { ["web"] = ownReplicas, ["db"] = otherReplicas } };

        var result = _filter.Check(Context(spec), node);

        Assert.Equal(detail, result.Detail);
        Assert.Equal(detail is null ? null : RejectionReasons.ReplicaOnNode, result.Reason);
    }
}
