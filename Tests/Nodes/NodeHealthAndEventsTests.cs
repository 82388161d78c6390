using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>The node's event-driven exits, health checks and logs, on one in-process silo with a simulated engine.</summary>
public sealed class NodeHealthAndEventsTests
{
    private static JobSpec Spec(string name, RestartSpec? restart = null, HealthSpec? health = null) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = ["sleep", "3600"],
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        Restart = restart ?? new RestartSpec(),
        Health = health,
    };

    private static HealthSpec ExecCheck => new() { Exec = ["test", "-f", "/tmp/ok"], IntervalSeconds = 1, TimeoutSeconds = 1, FailureThreshold = 2 };

    [Fact]
    public async Task An_exit_is_noticed_from_the_engine_event_without_waiting_for_the_sweep()
    {
        await using var cluster = await GrainTestCluster.StartAsync(sweepInterval: TimeSpan.FromHours(1));
        await cluster.Client.GetJob("quick").SubmitAsync(Spec("quick", new RestartSpec { Policy = RestartPolicies.Never }));
        var task = (await cluster.WaitForTasksAsync("quick", t => t.Single().State == TaskState.Running)).Single();

        cluster.Runtime.Exit(task.ContainerId!, 3);

        var failed = (await cluster.WaitForTasksAsync("quick", t => t.Single().State == TaskState.Failed, TimeSpan.FromSeconds(5))).Single();
        Assert.Equal(3, failed.LastExitCode);
        Assert.Equal("exited with code 3; restart policy never", failed.Reason);
    }

    [Fact]
    public async Task A_failing_exec_check_restarts_the_task_until_it_fails_saying_the_check_failed()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        cluster.Runtime.ExecHandler = (_, _) => new ExecResult(1, "no such file");
        var restart = new RestartSpec { Policy = RestartPolicies.OnFailure, MaxRestarts = 1, BackoffSeconds = 0 };

        await cluster.Client.GetJob("sick").SubmitAsync(Spec("sick", restart, ExecCheck));

        var failed = (await cluster.WaitForTasksAsync("sick", t => t.Single().State == TaskState.Failed, TimeSpan.FromSeconds(30))).Single();
        Assert.Equal(1, failed.Restarts);
        Assert.Equal("health check failed 2 times: exec test -f /tmp/ok exited with code 1: no such file; no restart left (1 of 1 used)", failed.Reason);
        Assert.Contains(failed.Events, e => e.Reason.StartsWith("health check failed 2 times", StringComparison.Ordinal) && e.To == TaskState.Scheduled);
        Assert.Equal(HealthStatus.Unhealthy, failed.Health?.Status);
        // Stopped by the node, so the failed task holds nothing.
        var container = await cluster.Runtime.InspectAsync(failed.ContainerId!, default);
        Assert.False(container?.Running);
    }

    [Fact]
    public async Task A_passing_check_marks_the_task_healthy_and_keeps_it_running()
    {
        await using var cluster = await GrainTestCluster.StartAsync();

        await cluster.Client.GetJob("fine").SubmitAsync(Spec("fine", health: ExecCheck));

        var task = (await cluster.WaitForTasksAsync("fine", t => t.Single().Health?.Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10))).Single();
        Assert.Equal(TaskState.Running, task.State);
        Assert.Equal(task.ContainerId, task.Health!.ContainerId);
        Assert.Equal(0, task.Restarts);
    }

    [Fact]
    public async Task Logs_stream_from_the_owning_node_and_a_follow_ends_with_the_container()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("talk").SubmitAsync(Spec("talk"));
        var task = (await cluster.WaitForTasksAsync("talk", t => t.Single().State == TaskState.Running)).Single();
        var node = cluster.Client.GetNode(task.Node!);
        cluster.Runtime.WriteOutput(task.ContainerId!, LogSource.Stdout, "one\n");
        cluster.Runtime.WriteOutput(task.ContainerId!, LogSource.Stderr, "warn\n");

        var sofar = await node.LogsAsync(task.Id, follow: false).ToListAsync();
        var following = node.LogsAsync(task.Id, follow: true).ToListAsync().AsTask();
        await Task.Delay(300);
        cluster.Runtime.WriteOutput(task.ContainerId!, LogSource.Stdout, "two\n");
        await Task.Delay(300);
        cluster.Runtime.Exit(task.ContainerId!, 0);
        var followed = await following.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([new LogChunk(LogSource.Stdout, "one\n"), new LogChunk(LogSource.Stderr, "warn\n")], sofar);
        Assert.Equal(["one\n", "warn\n", "two\n"], followed.Select(c => c.Text));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => node.LogsAsync("talk-9-nosuch", follow: false).ToListAsync().AsTask());
    }
}
