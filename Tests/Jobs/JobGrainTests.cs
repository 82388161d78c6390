using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>The job, task and node grains together on one in-process silo with a simulated engine.</summary>
public sealed class JobGrainTests
{
    private static JobSpec Spec(string name, int replicas, double cpu = 0.1, RestartSpec? restart = null) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = new[] { "sleep", "3600" },
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = cpu, MemoryMb = 16 },
        Restart = restart ?? new RestartSpec(),
    };

    private static bool AllRunning(IReadOnlyList<TaskInfo> tasks, int count) =>
        tasks.Count(t => t.State == TaskState.Running) == count;

    [Fact]
    public async Task A_job_runs_one_labelled_container_per_replica()
    {
        await using var cluster = await GrainTestCluster.StartAsync();

        var job = await cluster.Client.GetJob("web").SubmitAsync(Spec("web", 3));

        Assert.Equal(3, job.LiveTaskIds.Count);
        var tasks = await cluster.WaitForTasksAsync("web", t => AllRunning(t, 3));
        Assert.All(tasks, t => Assert.Equal(cluster.Node, t.Node));
        var containers = await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Job] = "web" }, default);
        Assert.Equal(3, containers.Count(c => c.Running));
        Assert.Equal(tasks.Select(t => t.ContainerId).Order(), containers.Select(c => c.Id).Order());
        Assert.All(containers, c => Assert.Equal(cluster.Node, c.Labels[ContainerLabels.Node]));
        Assert.Equal(new[] { "web" }, await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
    }

    [Fact]
    public async Task Every_transition_is_an_event_with_a_reason()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("ev").SubmitAsync(Spec("ev", 1));

        var task = (await cluster.WaitForTasksAsync("ev", t => AllRunning(t, 1))).Single();

        Assert.Equal(new TaskState?[] { null, TaskState.Pending, TaskState.Scheduled }, task.Events.Select(e => e.From));
        Assert.Equal(new[] { TaskState.Pending, TaskState.Scheduled, TaskState.Running }, task.Events.Select(e => e.To));
        Assert.All(task.Events, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.All(task.Events, e => Assert.Equal(TimeSpan.Zero, e.Time.Offset));
        Assert.Contains(cluster.Node, task.Events[1].Reason, StringComparison.Ordinal);
        Assert.NotNull(task.Placement);
        Assert.Equal(cluster.Node, task.Placement!.ChosenNode);
    }

    [Fact]
    public async Task Scaling_down_stops_the_newest_replicas_and_removes_their_containers()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Client.GetJob("scale");
        await grain.SubmitAsync(Spec("scale", 3));
        await cluster.WaitForTasksAsync("scale", t => AllRunning(t, 3));

        var job = await grain.ScaleAsync(1);

        Assert.Single(job.LiveTaskIds);
        var tasks = await cluster.TasksAsync("scale");
        Assert.Equal(0, tasks.Single(t => t.State == TaskState.Running).Slot);
        Assert.Equal(new[] { 1, 2 }, tasks.Where(t => t.State == TaskState.Completed).Select(t => t.Slot).Order());
        var containers = await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Job] = "scale" }, default);
        Assert.Single(containers);
    }

    [Fact]
    public async Task Stopping_a_job_completes_its_tasks_and_removes_every_container()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Client.GetJob("stop");
        await grain.SubmitAsync(Spec("stop", 2));
        await cluster.WaitForTasksAsync("stop", t => AllRunning(t, 2));

        await grain.StopAsync();

        var tasks = await cluster.TasksAsync("stop");
        Assert.All(tasks, t => Assert.Equal(TaskState.Completed, t.State));
        Assert.Empty(await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Job] = "stop" }, default));
        var node = await cluster.Client.GetNode(cluster.Node).GetInfoAsync();
        Assert.Equal(0, node.AllocatedCpu);
    }

    [Fact]
    public async Task An_invalid_spec_is_refused_by_the_silo_and_nothing_is_stored()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Client.GetJob("bad");

        var error = await Assert.ThrowsAsync<JobSpecException>(() => grain.SubmitAsync(Spec("bad", -1)));

        Assert.Contains("replicas", error.Message, StringComparison.Ordinal);
        Assert.Null(await grain.GetAsync());
        Assert.Empty(await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
    }

    [Fact]
    public async Task A_spec_larger_than_every_node_is_refused()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 2);

        var error = await Assert.ThrowsAsync<JobSpecException>(() => cluster.Client.GetJob("big").SubmitAsync(Spec("big", 1, cpu: 3)));

        Assert.Contains("resources.cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_beyond_the_node_capacity_wait_pending_with_the_reason()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 1);

        await cluster.Client.GetJob("fit").SubmitAsync(Spec("fit", 4, cpu: 0.4));

        // The scheduler's cached view may briefly count a refused reservation; the reason settles on the node's truth.
        await cluster.WaitForTasksAsync("fit", t => AllRunning(t, 2) && t.Count(x => x.State == TaskState.Pending
            && x.Reason?.Contains("insufficient cpu", StringComparison.Ordinal) == true
            && x.Placement?.Rejections.Single().Detail == "insufficient cpu: need 0.4, free 0.2") == 2);
        var node = await cluster.Client.GetNode(cluster.Node).GetInfoAsync();
        Assert.True(node.AllocatedCpu <= node.Cpus, $"allocated {node.AllocatedCpu} of {node.Cpus}");
        Assert.Equal(0.8, node.AllocatedCpu, 6);
    }

    [Fact]
    public async Task A_pending_replica_is_placed_by_itself_when_capacity_frees_up()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 1);
        await cluster.Client.GetJob("first").SubmitAsync(Spec("first", 1, cpu: 0.8));
        await cluster.WaitForTasksAsync("first", t => AllRunning(t, 1));
        await cluster.Client.GetJob("second").SubmitAsync(Spec("second", 1, cpu: 0.5));
        await cluster.WaitForTasksAsync("second", t => t.Single().Reason?.Contains("insufficient cpu", StringComparison.Ordinal) == true);

        await cluster.Client.GetJob("first").StopAsync();

        await cluster.WaitForTasksAsync("second", t => AllRunning(t, 1));
    }

    [Fact]
    public async Task A_crashing_container_is_restarted_until_its_restarts_run_out()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var restart = new RestartSpec { Policy = RestartPolicies.OnFailure, MaxRestarts = 1, BackoffSeconds = 0 };
        await cluster.Client.GetJob("crash").SubmitAsync(Spec("crash", 1, restart: restart));
        var first = (await cluster.WaitForTasksAsync("crash", t => AllRunning(t, 1))).Single();

        cluster.Runtime.Exit(first.ContainerId!, 3);
        var restarted = (await cluster.WaitForTasksAsync("crash", t => t.Single() is { State: TaskState.Running, Restarts: 1 })).Single();
        cluster.Runtime.Exit(restarted.ContainerId!, 3);
        var failed = (await cluster.WaitForTasksAsync("crash", t => t.Single().State == TaskState.Failed)).Single();

        Assert.Equal(first.Id, failed.Id);
        Assert.NotEqual(first.ContainerId, restarted.ContainerId);
        Assert.Equal(3, failed.LastExitCode);
        Assert.Contains("code 3", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(failed.Events, e => e is { From: TaskState.Running, To: TaskState.Scheduled });
    }

    [Fact]
    public async Task A_container_that_exits_zero_under_on_failure_completes()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("batch").SubmitAsync(Spec("batch", 1));
        var task = (await cluster.WaitForTasksAsync("batch", t => AllRunning(t, 1))).Single();

        cluster.Runtime.Exit(task.ContainerId!, 0);

        var done = (await cluster.WaitForTasksAsync("batch", t => t.Single().State == TaskState.Completed)).Single();
        Assert.Equal(0, done.Restarts);
        // The task ends first, then its answer to the node's report releases the reservation.
        await Poll.WaitForAsync(() => cluster.Client.GetNode(cluster.Node).GetInfoAsync(), n => n.Tasks == 0, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_node_grain_refuses_to_activate_on_a_silo_of_another_name()
    {
        // The silo is named (and so places) node X but is configured as node Y: past placement, only the grain's own check stops it.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await (await GrainTestCluster.StartAsync(nodeNameOf: silo => $"{silo}-other")).DisposeAsync());

        Assert.Matches("^node grain (.+) activated on the silo of node \\1-other$", refused.Message);
    }
}
