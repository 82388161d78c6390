using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// The node and its tasks converge whatever message between them is lost: each case loses one call that the
/// first design sent once, and checks the cluster still reaches the state a user expects.
/// </summary>
public sealed class NodeConvergenceTests
{
    private static JobSpec Spec(string name, string policy = RestartPolicies.Always) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = new[] { "sleep", "3600" },
        Replicas = 1,
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        Restart = new RestartSpec { Policy = policy },
    };

    private static async Task<IReadOnlyList<string>> ContainersOfAsync(GrainTestCluster cluster, string job, bool running = true)
    {
        var all = await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Job] = job }, default);
        return all.Where(c => !running || c.Running).Select(c => c.Id).ToList();
    }

    [Fact]
    public async Task A_reservation_no_task_claims_is_reclaimed_by_the_node_itself()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var node = cluster.Client.GetNode(cluster.Node);
        // What a task that crashed between its reservation and recording it leaves: a claim nobody holds.
        var result = await node.ReserveAsync(new Reservation("ghost-0-abcdef", "ghost", new ResourceSpec { Cpu = 1, MemoryMb = 100 }, []));
        Assert.True(result.Accepted);
        Assert.Equal(1, (await node.GetInfoAsync()).AllocatedCpu);

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while ((await node.GetInfoAsync()).AllocatedCpu > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(0, (await node.GetInfoAsync()).AllocatedCpu);
    }

    [Fact]
    public async Task A_lost_report_of_an_exit_is_sent_again_until_the_task_has_it()
    {
        var lost = new LostCalls();
        // The task's own check of its node would learn of the exit too: only the node's reports may tell it here.
        await using var cluster = await GrainTestCluster.StartAsync(lostCalls: lost, runningCheckInterval: TimeSpan.FromHours(1));
        await cluster.Client.GetJob("once").SubmitAsync(Spec("once", RestartPolicies.Never));
        var task = (await cluster.WaitForTasksAsync("once", t => t.Count == 1 && t[0].State == TaskState.Running))[0];
        // Let the reports of Running be acknowledged first, so the next one lost is the exit's.
        await Task.Delay(1000);

        lost.LoseRequests(nameof(ITaskGrain.ObserveContainerAsync), 3);
        cluster.Runtime.Exit(task.ContainerId!, 0);

        var ended = await cluster.WaitForTasksAsync("once", t => t[0].State == TaskState.Completed);
        Assert.Equal(0, ended[0].LastExitCode);
        Assert.Equal(0, lost.Pending);
    }

    [Fact]
    public async Task A_start_whose_answer_was_lost_is_adopted_and_never_duplicated()
    {
        var lost = new LostCalls();
        await using var cluster = await GrainTestCluster.StartAsync(lostCalls: lost);
        lost.LoseReplies(nameof(INodeGrain.RunAsync));
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web"));

        var tasks = await cluster.WaitForTasksAsync("web", t => t.Count >= 1 && t.All(x => x.State == TaskState.Running), TimeSpan.FromSeconds(40));
        Assert.Equal(0, lost.Pending);
        // The container the lost answer was about runs on, and is the task's: no second task, no second container.
        Assert.Single(tasks);
        await Task.Delay(1000);
        Assert.Equal([tasks[0].ContainerId!], await ContainersOfAsync(cluster, "web"));
        Assert.Equal(0.1, (await cluster.Client.GetNode(cluster.Node).GetInfoAsync()).AllocatedCpu, 6);
    }

    [Fact]
    public async Task A_start_whose_request_was_lost_is_cleaned_up_before_the_replica_runs_again()
    {
        var lost = new LostCalls();
        await using var cluster = await GrainTestCluster.StartAsync(lostCalls: lost);
        lost.LoseRequests(nameof(INodeGrain.RunAsync));
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web"));

        await cluster.WaitForTasksAsync("web", t => t.Any(x => x.State == TaskState.Running), TimeSpan.FromSeconds(60));
        Assert.Equal(0, lost.Pending);
        await Task.Delay(1000);
        var tasks = await cluster.TasksAsync("web");
        var running = Assert.Single(tasks, t => t.State == TaskState.Running);
        Assert.Equal([running.ContainerId!], await ContainersOfAsync(cluster, "web"));
        Assert.Equal(0.1, (await cluster.Client.GetNode(cluster.Node).GetInfoAsync()).AllocatedCpu, 6);
    }

    [Fact]
    public async Task A_released_task_has_its_container_stopped_not_left_running()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web"));
        var task = (await cluster.WaitForTasksAsync("web", t => t.Count == 1 && t[0].State == TaskState.Running))[0];

        await cluster.Client.GetNode(cluster.Node).ReleaseAsync(task.Id);

        Assert.Empty(await ContainersOfAsync(cluster, "web"));
        Assert.Equal(0, (await cluster.Client.GetNode(cluster.Node).GetInfoAsync()).AllocatedCpu);
    }

    [Fact]
    public async Task A_restart_whose_running_state_was_never_stored_adopts_the_container_it_started()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web"));
        var task = (await cluster.WaitForTasksAsync("web", t => t.Count == 1 && t[0].State == TaskState.Running))[0];
        var grain = cluster.Client.GetGrain<ITaskGrain>(task.Id);
        var grainId = grain.GetGrainId();
        // The exit and the restart are stored; the write of Running after the restart is lost, as when the task's silo
        // dies just after the node started the new container.
        var writes = 0;
        cluster.StorageFaults.FailWrites = (state, id) => state == StorageNames.TaskState && id == grainId && Interlocked.Increment(ref writes) > 1;
        cluster.Runtime.Exit(task.ContainerId!, 1);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while ((await ContainersOfAsync(cluster, "web")).Count == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var restarted = Assert.Single(await ContainersOfAsync(cluster, "web"));
        Assert.Equal(TaskState.Scheduled, (await cluster.ReadStoredAsync<TaskRecord>(StorageNames.TaskState, grainId))!.Info!.State);
        cluster.StorageFaults.FailWrites = null;

        await cluster.DeactivateAsync(grain);
        var adopted = (await cluster.WaitForTasksAsync("web", t => t[0].State == TaskState.Running, TimeSpan.FromSeconds(20)))[0];

        Assert.Equal(restarted, adopted.ContainerId);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal([restarted], await ContainersOfAsync(cluster, "web"));
    }

    [Fact]
    public async Task A_one_shot_whose_running_state_was_never_stored_is_not_run_again_by_a_stale_report()
    {
        await using var cluster = await GrainTestCluster.StartAsync(sweepInterval: TimeSpan.FromMinutes(10));
        // Its placement (Scheduled, its first write) is stored; the write of Running is lost, as when storage fails past its retries.
        var writes = 0;
        cluster.StorageFaults.FailWrites = (state, _) => state == StorageNames.TaskState && Interlocked.Increment(ref writes) > 1;
        await cluster.Client.GetJob("once").SubmitAsync(Spec("once", RestartPolicies.Never));
        var task = (await cluster.WaitForTasksAsync("once", t => t.Count == 1 && t[0].State == TaskState.Running))[0];
        var grain = cluster.Client.GetGrain<ITaskGrain>(task.Id);
        Assert.Equal(TaskState.Scheduled, (await cluster.ReadStoredAsync<TaskRecord>(StorageNames.TaskState, grain.GetGrainId()))!.Info!.State);
        cluster.StorageFaults.FailWrites = null;
        await cluster.DeactivateAsync(grain);

        // What the node said before the start, delivered only now to the task activated from what was stored.
        await grain.ObserveContainerAsync(cluster.Node, new ContainerObservation(null, ContainerStatus.Missing, null, "no container yet"));
        var adopted = (await cluster.WaitForTasksAsync("once", t => t[0].State == TaskState.Running))[0];
        Assert.Equal(task.ContainerId, adopted.ContainerId);
        Assert.Equal([task.ContainerId!], await ContainersOfAsync(cluster, "once", running: false));

        cluster.Runtime.Exit(task.ContainerId!, 0);
        var ended = (await cluster.WaitForTasksAsync("once", t => t[0].State == TaskState.Completed))[0];
        Assert.Equal(0, ended.LastExitCode);
        Assert.Equal([task.ContainerId!], await ContainersOfAsync(cluster, "once", running: false));
    }

    [Fact]
    public async Task A_running_task_whose_node_no_longer_holds_it_is_replaced()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web"));
        var first = (await cluster.WaitForTasksAsync("web", t => t.Count == 1 && t[0].State == TaskState.Running))[0];

        // What a failover can leave: the node dropped the reservation and removed the container, and told nobody.
        await cluster.Client.GetNode(first.Node!).RemoveAsync(first.Id);

        var tasks = await cluster.WaitForTasksAsync("web", t => t.Any(x => x.Id != first.Id && x.State == TaskState.Running), TimeSpan.FromSeconds(60));
        var replacement = tasks.Single(t => t.Id != first.Id);
        Assert.Equal([replacement.ContainerId!], await ContainersOfAsync(cluster, "web"));
        var ended = await cluster.Client.GetGrain<ITaskGrain>(first.Id).GetAsync();
        Assert.Equal(TaskState.Failed, ended!.State);
        Assert.Contains("holds no reservation", ended.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 16)]
    [InlineData(double.PositiveInfinity, 16)]
    [InlineData(-1, 16)]
    [InlineData(0.1, -99871)]
    public async Task A_reservation_that_is_not_finite_and_positive_is_refused(double cpu, long memoryMb)
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var node = cluster.Client.GetNode(cluster.Node);
        var result = await node.ReserveAsync(new Reservation("bad-0-abcdef", "bad", new ResourceSpec { Cpu = cpu, MemoryMb = memoryMb }, []));
        Assert.False(result.Accepted);
        Assert.Equal(RejectionReasons.InvalidReservation, result.Reason);
        Assert.StartsWith("invalid reservation: ", result.Detail, StringComparison.Ordinal);
        var info = await node.GetInfoAsync();
        Assert.Equal((0, 0L), (info.AllocatedCpu, info.AllocatedMemoryMb));
    }
}
