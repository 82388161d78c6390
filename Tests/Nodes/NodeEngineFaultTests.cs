using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// A node whose engine stops answering, on two in-process silos with simulated engines: starts placed there
/// fail as the machine's fault, not the task's, and the replicas run on the other node. The real engines'
/// version of this (a frozen dockerd) is <c>EngineFaultRigTests</c>.
/// </summary>
public sealed class NodeEngineFaultTests
{
    [Fact]
    public async Task Replicas_placed_on_a_node_whose_engine_is_down_move_to_the_other_node_without_spending_restarts()
    {
        // The sweep out of the way, so the node learns of the fault only from the starts placed on it.
        await using var cluster = await GrainTestCluster.StartAsync(silos: 2, sweepInterval: TimeSpan.FromHours(1));
        var (down, up) = (cluster.Nodes[0], cluster.Nodes[1]);
        cluster.RuntimeOf(down).Unreachable = true;

        await cluster.Client.GetJob("moved").SubmitAsync(new JobSpec
        {
            Name = "moved",
            Image = "orch-test/busybox:latest",
            Replicas = 4,
            Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
            Scheduler = SchedulerNames.Spread,
        });

        var tasks = await cluster.WaitForTasksAsync("moved", t => t.Count(x => x.State == TaskState.Running) == 4);
        var running = tasks.Where(t => t.State == TaskState.Running).ToList();
        Assert.All(running, t => Assert.Equal(up, t.Node));
        Assert.All(running, t => Assert.Equal(0, t.Restarts));
        Assert.Equal([0, 1, 2, 3], running.Select(t => t.Slot).Order());
        var moved = tasks.Where(t => t.Node == down).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, t => Assert.Equal(TaskState.Failed, t.State));
        Assert.All(moved, t => Assert.True(t.Displaced));
        Assert.All(moved, t => Assert.StartsWith($"could not start on {down}: the engine of node {down} ", t.Reason, StringComparison.Ordinal));

        var refused = await cluster.Client.GetNode(down).ReserveAsync(new Reservation("probe", "probe", new ResourceSpec { Cpu = 0.1, MemoryMb = 16 }, []));
        Assert.False(refused.Accepted);
        Assert.Equal(RejectionReasons.EngineNotAnswering, refused.Reason);
        Assert.Equal("engine not answering: unreachable", refused.Detail);
        var node = (await cluster.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync()).Single(n => n.Name == down);
        Assert.Equal(0, node.Tasks);
        Assert.StartsWith("engine not answering since", node.StatusReason, StringComparison.Ordinal);
    }
}
