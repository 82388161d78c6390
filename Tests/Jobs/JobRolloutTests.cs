using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>
/// Rolling updates through the job, task and node grains on one in-process silo with a simulated engine, whose exec
/// health checks fail for any check command that says "broken".
/// </summary>
public sealed class JobRolloutTests
{
    private static JobSpec Spec(string name, int replicas = 3, string version = "1", double cpu = 0.1, bool autoRevert = false, string check = "ok") => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = new[] { "sleep", "3600" },
        Env = new Dictionary<string, string> { ["VERSION"] = version },
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = cpu, MemoryMb = 16 },
        Health = new HealthSpec { Exec = [check], IntervalSeconds = 1, FailureThreshold = 1 },
        Update = new UpdateSpec { MaxParallel = 1, MinHealthySeconds = 1, HealthyDeadlineSeconds = 5, AutoRevert = autoRevert },
    };

    private static async Task<GrainTestCluster> StartAsync(double cpus = 4)
    {
        var cluster = await GrainTestCluster.StartAsync(cpus: cpus);
        cluster.Runtime.ExecHandler = (_, command) => command.Contains("broken") ? new ExecResult(1, "broken") : new ExecResult(0, "ok");
        return cluster;
    }

    private static bool Serving(TaskInfo t) => t is { State: TaskState.Running, Health.Status: HealthStatus.Healthy };

    private static async Task<JobInfo> WaitForVersionAsync(GrainTestCluster cluster, string job, int version, JobVersionStatus status, Action<IReadOnlyList<TaskInfo>>? everyPoll = null)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(45);
        JobInfo? info = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            everyPoll?.Invoke(await cluster.TasksAsync(job));
            info = await cluster.Client.GetJob(job).GetAsync();
            if (info?.Versions.FirstOrDefault(v => v.Number == version)?.Status == status)
            {
                return info;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"version {version} of {job} did not become {status}: {string.Join("; ", info?.Versions.Select(v => $"{v.Number} {v.Status} {v.Reason}") ?? [])}; rollout {info?.Rollout}");
    }

    [Fact]
    public async Task A_new_version_replaces_one_replica_at_a_time_keeping_the_others_serving_even_across_a_reactivation()
    {
        await using var cluster = await StartAsync();
        var job = cluster.Client.GetJob("roll");
        await job.SubmitAsync(Spec("roll"));
        await WaitForVersionAsync(cluster, "roll", 1, JobVersionStatus.Current);
        var old = (await cluster.TasksAsync("roll")).Where(Serving).Select(t => t.Id).ToHashSet();
        Assert.Equal(3, old.Count);

        var submitted = await job.SubmitAsync(Spec("roll", version: "2"));
        Assert.Equal(2, submitted.Version);
        var fewest = 3;
        var mostNew = 0;
        var reactivated = false;
        var info = await WaitForVersionAsync(cluster, "roll", 2, JobVersionStatus.Current, tasks =>
        {
            fewest = Math.Min(fewest, tasks.Count(Serving));
            mostNew = Math.Max(mostNew, tasks.Count(t => t.Version == 2 && !TaskTransitions.IsTerminal(t.State) && !Serving(t)));
            if (!reactivated && tasks.Count(t => t.Version == 2 && Serving(t)) == 1)
            {
                // The job's silo "dies" mid-rollout: the next activation carries on from what is stored.
                reactivated = true;
                cluster.DeactivateAsync(job).GetAwaiter().GetResult();
            }
        });

        Assert.True(reactivated);
        Assert.True(fewest >= 2, $"only {fewest} replicas served during the rollout; replicas − maxParallel is 2");
        Assert.True(mostNew <= 1, $"{mostNew} new replicas started at once; maxParallel is 1");
        var tasks = await cluster.TasksAsync("roll");
        var live = tasks.Where(t => !TaskTransitions.IsTerminal(t.State)).ToList();
        Assert.Equal(3, live.Count);
        Assert.All(live, t => Assert.Equal(2, t.Version));
        Assert.All(live, t => Assert.Equal("2", t.Spec!.Env["VERSION"]));
        Assert.All(tasks.Where(t => old.Contains(t.Id)), t => Assert.Equal(TaskState.Completed, t.State));
        Assert.Equal(new[] { JobVersionStatus.Superseded, JobVersionStatus.Current }, info.Versions.Select(v => v.Status));
        Assert.Equal(new RolloutProgress { Version = 2, Status = JobVersionStatus.Current, Replaced = 3, Healthy = 3, Remaining = 0 }, (await job.GetAsync())!.Rollout);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_version_whose_health_check_fails_leaves_the_old_replicas_serving_and_is_rolled_back_with_auto_revert(bool autoRevert)
    {
        await using var cluster = await StartAsync();
        var job = cluster.Client.GetJob("bad");
        await job.SubmitAsync(Spec("bad", autoRevert: autoRevert));
        await WaitForVersionAsync(cluster, "bad", 1, JobVersionStatus.Current);
        var old = (await cluster.TasksAsync("bad")).Select(t => t.Id).ToHashSet();

        await job.SubmitAsync(Spec("bad", version: "2", autoRevert: autoRevert, check: "broken"));
        var fewest = 3;
        var info = await WaitForVersionAsync(cluster, "bad", 2, autoRevert ? JobVersionStatus.Reverted : JobVersionStatus.Failed,
            tasks => fewest = Math.Min(fewest, tasks.Count(t => old.Contains(t.Id) && Serving(t))));

        Assert.Equal(3, fewest);
        Assert.Contains("replica 0 of version 2", info.Versions[1].Reason, StringComparison.Ordinal);
        if (autoRevert)
        {
            info = await WaitForVersionAsync(cluster, "bad", 3, JobVersionStatus.Current);
            Assert.Equal("ok", info.Spec.Health!.Exec![0]);
            Assert.Equal("1", info.Spec.Env["VERSION"]);
            Assert.Contains("rollback to version 1", info.Versions[2].Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(2, info.Version);
        }
        var tasks = await cluster.WaitForTasksAsync("bad", ts => !ts.Any(t => t.Version == 2 && !TaskTransitions.IsTerminal(t.State)));
        Assert.Equal(old, tasks.Where(Serving).Select(t => t.Id).ToHashSet());
    }

    [Fact]
    public async Task A_version_that_fits_nowhere_fails_and_the_old_replicas_keep_running()
    {
        await using var cluster = await StartAsync(cpus: 2);
        var job = cluster.Client.GetJob("big");
        await job.SubmitAsync(Spec("big", cpu: 0.5));
        await WaitForVersionAsync(cluster, "big", 1, JobVersionStatus.Current);
        var old = (await cluster.TasksAsync("big")).Select(t => t.Id).ToHashSet();

        await job.SubmitAsync(Spec("big", version: "2", cpu: 1));
        var info = await WaitForVersionAsync(cluster, "big", 2, JobVersionStatus.Failed);

        Assert.Contains("insufficient cpu", info.Versions[1].Reason, StringComparison.OrdinalIgnoreCase);
        var tasks = await cluster.WaitForTasksAsync("big", ts => !ts.Any(t => t.Version == 2 && !TaskTransitions.IsTerminal(t.State)));
        Assert.Equal(old, tasks.Where(Serving).Select(t => t.Id).ToHashSet());
    }

    [Fact]
    public async Task Changing_only_the_scheduler_or_the_update_block_makes_a_version_that_replaces_nothing_and_scaling_makes_none()
    {
        await using var cluster = await StartAsync();
        var job = cluster.Client.GetJob("keep");
        await job.SubmitAsync(Spec("keep"));
        await WaitForVersionAsync(cluster, "keep", 1, JobVersionStatus.Current);
        var old = (await cluster.TasksAsync("keep")).Select(t => t.Id).ToHashSet();

        await job.SubmitAsync(Spec("keep") with { Scheduler = "spread", Update = new UpdateSpec { MaxParallel = 2, MinHealthySeconds = 1, HealthyDeadlineSeconds = 5 } });
        await WaitForVersionAsync(cluster, "keep", 2, JobVersionStatus.Current);
        var scaled = await job.ScaleAsync(4);

        Assert.Equal(2, scaled.Version);
        Assert.Equal(4, scaled.Versions[^1].Spec.Replicas);
        var tasks = await cluster.WaitForTasksAsync("keep", ts => ts.Count(Serving) == 4);
        Assert.Equal(old, tasks.Where(t => old.Contains(t.Id) && Serving(t)).Select(t => t.Id).ToHashSet());
    }
}
