using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// The node has the last word on a reservation, whatever the scheduler's view said: its refusal reaches the task
/// with its class, which the task's placement counts, and its numbers.
/// </summary>
public sealed class NodeRefusalTests
{
    [Fact]
    public async Task A_node_that_refuses_for_memory_shows_in_the_tasks_placement_as_insufficient_memory()
    {
        // No sweep after the first, so the node tells the directory nothing but its ledger's changes.
        await using var cluster = await GrainTestCluster.StartAsync(memoryMb: 1024, sweepInterval: TimeSpan.FromHours(1));
        var node = cluster.Client.GetNode(cluster.Node);
        var directory = cluster.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);
        Assert.True((await node.ReserveAsync(new Reservation("other-0-abcdef", "other", new ResourceSpec { Cpu = 0.1, MemoryMb = 900 }, []))).Accepted);
        for (var tries = 0; (await directory.ListAsync()).Single().AllocatedMemoryMb != 900; tries++)
        {
            Assert.True(tries < 200, "the directory did not hear of the reservation");
            await Task.Delay(50);
        }
        // The directory as it stood before that reservation: the scheduler sees room the node no longer has.
        await directory.ReportAsync((await node.GetInfoAsync()) with { AllocatedCpu = 0, AllocatedMemoryMb = 0, Tasks = 0, TasksByJob = new Dictionary<string, int>() });

        await cluster.Client.GetJob("big").SubmitAsync(new JobSpec
        {
            Name = "big",
            Image = "orch-test/busybox:latest",
            Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 256 },
        });

        var task = (await cluster.WaitForTasksAsync("big", t => t is [{ Placement.Rejections.Count: > 0 }])).Single();
        Assert.Equal(TaskState.Pending, task.State);
        Assert.Equal(new NodeRejection(cluster.Node, RejectionReasons.InsufficientMemory, "insufficient memory: need 256 MB, free 124 MB"), Assert.Single(task.Placement!.Rejections));
        Assert.Equal("no node fits: 0/1 nodes available: 1 insufficient memory", task.Reason);
        // The scheduler's filters still see room: the refusal was the node's.
        Assert.Equal(0, (await directory.ListAsync()).Single().AllocatedMemoryMb);
    }
}
