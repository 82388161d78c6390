using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Jobs.Batch;

/// <summary>Batch jobs through the job, task and node grains, on in-process silos with a simulated engine.</summary>
public sealed class BatchJobTests(ITestOutputHelper output)
{
    private static JobSpec Spec(string name, int maxRestarts = 1, int? reschedules = null) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = ["sh", "-c", "work"],
        Type = JobTypes.Batch,
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        Restart = new RestartSpec { MaxRestarts = maxRestarts, BackoffSeconds = 0, Reschedules = reschedules },
    };

    /// <summary>Waits until slot 0's task runs a container, then ends it with <paramref name="exitCode"/>.</summary>
    private static async Task<TaskInfo> ExitAsync(GrainTestCluster cluster, string job, int exitCode, Func<TaskInfo, bool>? which = null)
    {
        var tasks = await cluster.WaitForTasksAsync(job, t => t.Any(x => x.State == TaskState.Running && (which?.Invoke(x) ?? true)));
        var task = tasks.First(x => x.State == TaskState.Running && (which?.Invoke(x) ?? true));
        cluster.RuntimeOf(task.Node!).Exit(task.ContainerId!, exitCode);
        return task;
    }

    [Fact]
    public async Task A_task_that_used_its_restarts_on_one_node_completes_on_another_and_the_job_succeeds_for_good()
    {
        await using var cluster = await GrainTestCluster.StartAsync(silos: 2);
        var job = cluster.Client.GetJob("sum");
        await job.SubmitAsync(Spec("sum"));

        var first = await ExitAsync(cluster, "sum", 1);
        Assert.Equal(first.Node, cluster.RuntimeOf(first.Node!).EnvOf(first.ContainerId!)[TaskEnvironment.Node]);
        Assert.Equal(first.Id, cluster.RuntimeOf(first.Node!).EnvOf(first.ContainerId!)[TaskEnvironment.TaskId]);
        await ExitAsync(cluster, "sum", 1, t => t.Id == first.Id && t.Restarts == 1);
        var second = await ExitAsync(cluster, "sum", 0, t => t.Id != first.Id);

        Assert.NotEqual(first.Node, second.Node);
        Assert.Equal(new[] { first.Node! }, second.ExcludedNodes);
        Assert.StartsWith($"created for replica 0 of job sum: rescheduled from {first.Node} after 1 restarts", second.Events[0].Reason, StringComparison.Ordinal);
        var ended = await cluster.WaitForTasksAsync("sum", t => t.Any(x => x.Id == second.Id && x.State == TaskState.Completed));
        Assert.Equal(TaskState.Failed, ended.Single(t => t.Id == first.Id).State);
        // The task tells its job after it stored Completed, so a reader can see Completed a moment before the job does.
        var outcome = (await Poll.WaitForAsync(job.GetAsync, j => j!.Batch!.Status != BatchStatus.Running, TimeSpan.FromSeconds(15)))!.Batch!;
        Assert.Equal(BatchStatus.Succeeded, outcome.Status);
        Assert.Equal(1, outcome.Completed);

        // A Completed replica is never run again: not by the job's own reconcile, nor by submitting it again.
        await job.ReconcileAsync();
        var again = await job.SubmitAsync(Spec("sum"));
        Assert.Equal(new[] { second.Id }, again.LiveTaskIds);
        Assert.Equal(BatchStatus.Succeeded, again.Batch!.Status);
        Assert.Equal(2, (await cluster.TasksAsync("sum")).Count);
    }

    [Fact]
    public async Task A_task_with_no_reschedule_left_fails_the_job_and_one_with_no_other_node_waits_pending_with_the_reason()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var job = cluster.Client.GetJob("one");
        await job.SubmitAsync(Spec("one", maxRestarts: 0, reschedules: 1));

        var first = await ExitAsync(cluster, "one", 3);

        var tasks = await cluster.WaitForTasksAsync("one", t => t.Any(x => x.Id != first.Id && x.Reason?.StartsWith("no node fits", StringComparison.Ordinal) == true));
        var waiting = tasks.Single(t => t.Id != first.Id);
        Assert.Equal(TaskState.Pending, waiting.State);
        Assert.Contains("excluded", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(BatchStatus.Running, (await job.GetAsync())!.Batch!.Status);

        await using var strict = await GrainTestCluster.StartAsync();
        var failing = strict.Client.GetJob("two");
        await failing.SubmitAsync(Spec("two", maxRestarts: 0, reschedules: 0));
        var failed = await ExitAsync(strict, "two", 3);
        await strict.WaitForTasksAsync("two", t => t.Single().State == TaskState.Failed);
        var outcome = (await Poll.WaitForAsync(failing.GetAsync, j => j!.Batch!.Status != BatchStatus.Running, TimeSpan.FromSeconds(15)))!.Batch!;
        Assert.Equal(BatchStatus.Failed, outcome.Status);
        Assert.Equal(failed.Id, outcome.FailedTask);
        Assert.Contains("exited with code 3", outcome.Reason, StringComparison.Ordinal);
        Assert.Single(await strict.TasksAsync("two"));
    }

    [Fact]
    public async Task A_reschedule_whose_notice_was_lost_happens_when_the_job_next_reconciles_from_what_it_stored()
    {
        var lost = new LostCalls();
        await using var cluster = await GrainTestCluster.StartAsync(silos: 2, lostCalls: lost, nodeLossCheckInterval: TimeSpan.FromMilliseconds(500));
        var job = cluster.Client.GetJob("lost");
        await job.SubmitAsync(Spec("lost", maxRestarts: 0));
        var running = await cluster.WaitForTasksAsync("lost", t => t.Count == 1 && t[0].State == TaskState.Running);

        // The failure's notice is lost, whenever the placement's arrives.
        lost.LoseRequests(nameof(IJobGrain.TaskChangedAsync), which: task => task is TaskInfo { State: TaskState.Failed });
        var first = await ExitAsync(cluster, "lost", 1);
        await cluster.WaitForTasksAsync("lost", t => t.Single().State == TaskState.Failed);
        // The task tells its job after it stored Failed, so a reader can see Failed a moment before the notice is lost.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (lost.Pending > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, lost.Pending);
        // As if the job's silo died: its next activation knows only what it stored, and reconciles by itself.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.DeactivateAsync(job);
        output.WriteLine($"deactivated in {clock.Elapsed.TotalSeconds:0.0} s");
        await job.GetAsync();

        var tasks = await cluster.WaitForTasksAsync("lost", t => t.Any(x => x.Id != first.Id && x.State == TaskState.Running));
        output.WriteLine($"rescheduled and running {clock.Elapsed.TotalSeconds:0.0} s after the deactivation");
        Assert.NotEqual(running[0].Node, tasks.Single(x => x.Id != first.Id).Node);
    }

    [Fact]
    public async Task A_node_stops_a_container_with_its_jobs_stop_grace()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var patient = new JobSpec { Name = "patient", Image = "orch-test/busybox:latest", StopGraceSeconds = 3, Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 } };
        await cluster.Client.GetJob("patient").SubmitAsync(patient);
        await cluster.Client.GetJob("hasty").SubmitAsync(patient with { Name = "hasty", StopGraceSeconds = 0 });
        await cluster.Client.GetJob("usual").SubmitAsync(patient with { Name = "usual", StopGraceSeconds = new JobSpec().StopGraceSeconds });
        var containers = new Dictionary<string, string>();
        foreach (var name in new[] { "patient", "hasty", "usual" })
        {
            containers[name] = (await cluster.WaitForTasksAsync(name, t => t.Count == 1 && t[0].State == TaskState.Running))[0].ContainerId!;
            await cluster.Client.GetJob(name).StopAsync();
        }

        Assert.Equal(TimeSpan.FromSeconds(3), cluster.Runtime.StopGraceOf(containers["patient"]));
        Assert.Equal(TimeSpan.Zero, cluster.Runtime.StopGraceOf(containers["hasty"]));
        Assert.Equal(TimeSpan.FromSeconds(10), cluster.Runtime.StopGraceOf(containers["usual"]));
    }
}
