using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// Image pulls on simulated engines: a node pulls a missing image once for all the replicas that wait for it, in the
/// background, and a failed pull leaves its task waiting with the reason, spending no restart. The real registries'
/// version of this is <c>RegistryPullTests</c>.
/// </summary>
public sealed class ImagePullTests
{
    private const string Image = "registry.example:5000/team/app:1";

    [Fact]
    public async Task A_missing_image_is_pulled_once_in_the_background_for_every_replica_and_the_events_say_so()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Runtime.RemoveImage(Image);
        cluster.Runtime.PullHandler = (_, ct) => gate.Task.WaitAsync(ct);

        await cluster.Client.GetJob("app").SubmitAsync(Spec("app", replicas: 2));

        // Held far past the start's own 25 s deadline would be needed to prove it is not bound by it; what shows it
        // here is that the tasks wait in Scheduled, answered, while the pull has not ended.
        var waiting = await cluster.WaitForTasksAsync("app", t => t.Count == 2 && t.All(x => x.Reason == $"pulling image {Image} on {cluster.Node}"));
        Assert.All(waiting, t => Assert.Equal(TaskState.Scheduled, t.State));
        Assert.Equal(1, cluster.Runtime.PullCount(Image));
        Assert.Empty(await cluster.Runtime.ListAsync(new Dictionary<string, string>(), default));

        gate.SetResult();

        var running = await cluster.WaitForTasksAsync("app", t => t.Count == 2 && t.All(x => x.State == TaskState.Running));
        Assert.Equal(1, cluster.Runtime.PullCount(Image));
        Assert.All(running, t =>
        {
            Assert.Equal(0, t.Restarts);
            var reasons = t.Events.Select(e => e.Reason).ToList();
            var pulling = reasons.FindIndex(r => r == $"pulling image {Image} on {cluster.Node}");
            var pulled = reasons.FindIndex(r => r.StartsWith($"pulled image {Image} in ", StringComparison.Ordinal) && r.EndsWith($" s on {cluster.Node}", StringComparison.Ordinal));
            Assert.True(pulling >= 0 && pulled > pulling, string.Join(" | ", reasons));
            Assert.StartsWith("container ", reasons[^1], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_failed_pull_leaves_the_task_waiting_with_the_reason_spends_no_restart_and_is_tried_again()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var failing = true;
        cluster.Runtime.RemoveImage(Image);
        cluster.Runtime.PullHandler = (image, _) => failing
            ? throw new ContainerRuntimeException(ContainerRuntimeFailure.ImagePullFailed, $"pull of {image} failed: manifest unknown")
            : Task.CompletedTask;

        // No restart allowed: were a failed pull to spend one, the task would end Failed.
        await cluster.Client.GetJob("app").SubmitAsync(Spec("app", replicas: 1) with { Restart = new RestartSpec { MaxRestarts = 0 } });

        var task = (await cluster.WaitForTasksAsync("app", t => t.Count == 1 && t[0].PullFailure is not null)).Single();
        Assert.Equal(TaskState.Scheduled, task.State);
        Assert.Equal(0, task.Restarts);
        Assert.Equal($"pull of {Image} failed: manifest unknown", task.PullFailure);
        Assert.Equal($"pull of {Image} failed: manifest unknown (on {cluster.Node}); pulling again in 10s", task.Reason);

        failing = false;

        // The first retry comes 10 s after the failure.
        task = (await cluster.WaitForTasksAsync("app", t => t.Count == 1 && t[0].State == TaskState.Running, TimeSpan.FromSeconds(30))).Single();
        Assert.Equal(2, cluster.Runtime.PullCount(Image));
        Assert.Equal(0, task.Restarts);
        Assert.Null(task.PullFailure);
    }

    [Fact]
    public async Task Always_pulls_before_every_start_and_never_does_not_pull_at_all()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("always").SubmitAsync(Spec("always", replicas: 1) with { ImagePull = ImagePullPolicies.Always });
        var first = (await cluster.WaitForTasksAsync("always", t => t.Count == 1 && t[0].State == TaskState.Running)).Single();
        Assert.Equal(1, cluster.Runtime.PullCount(Image));

        cluster.Runtime.Exit(first.ContainerId!, 1);

        await cluster.WaitForTasksAsync("always", t => t.Count == 1 && t[0] is { State: TaskState.Running, Restarts: 1 } && t[0].ContainerId != first.ContainerId);
        Assert.Equal(2, cluster.Runtime.PullCount(Image));

        const string absent = "registry.example:5000/team/absent:1";
        cluster.Runtime.RemoveImage(absent);
        await cluster.Client.GetJob("never").SubmitAsync(Spec("never", replicas: 1) with
        {
            Image = absent,
            ImagePull = ImagePullPolicies.Never,
            Restart = new RestartSpec { MaxRestarts = 0 },
        });

        var failed = (await cluster.WaitForTasksAsync("never", t => t.Count == 1 && t[0].State == TaskState.Failed)).Single();
        Assert.Contains("imagePull is never", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Runtime.PullCount(absent));
    }

    private static JobSpec Spec(string name, int replicas) => new()
    {
        Name = name,
        Image = Image,
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
    };
}
