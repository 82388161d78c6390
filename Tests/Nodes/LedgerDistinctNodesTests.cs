using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Nodes;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>The node's own check of <c>distinctNodes</c>: what a stale scheduler view lets through, the ledger refuses.</summary>
public sealed class LedgerDistinctNodesTests
{
    private static readonly NodeCapacity Capacity = new(Cpus: 4, MemoryMb: 4096);
    private static readonly ResourceSpec Small = new() { Cpu = 0.1, MemoryMb = 16 };

    private static LedgerEntry Entry(string task, string job, bool active = true) =>
        new() { TaskId = task, Job = job, Resources = Small, Active = active };

    [Theory]
    [InlineData(true, "web", true, "replica already on node: distinctNodes, and the node runs a replica of web")]
    [InlineData(true, "web", false, null)]
    [InlineData(true, "db", true, null)]
    [InlineData(false, "web", true, null)]
    public void A_second_live_replica_of_a_distinct_job_is_refused(bool distinct, string otherJob, bool otherActive, string? why)
    {
        var reservation = new Reservation("web-1-x", "web", Small, [], distinct);

        var refusal = Ledger.WhyNot(reservation, Capacity, [Entry("other-0-x", otherJob, otherActive)]);

        Assert.Equal(why, refusal?.Detail);
        Assert.Equal(why is null ? null : RejectionReasons.ReplicaOnNode, refusal?.Reason);
    }

    [Fact]
    public void The_same_task_reserving_again_is_not_its_own_rival()
    {
        var reservation = new Reservation("web-1-x", "web", Small, [], DistinctNodes: true);

        Assert.Null(Ledger.WhyNot(reservation, Capacity, [Entry("web-1-x", "web")]));
    }
}
