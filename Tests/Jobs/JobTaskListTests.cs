using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>What a job lists of its tasks (<see cref="IJobGrain.ListTasksAsync"/>), on one in-process silo with a simulated engine.</summary>
public sealed class JobTaskListTests
{
    private static JobSpec Spec(string name, int replicas) =>
        TestJobs.Sleeping(name, replicas) with { Restart = new RestartSpec { Policy = RestartPolicies.Never } };

    [Fact]
    public async Task A_live_listing_shows_each_live_task_as_it_is_now_and_all_adds_the_ended_ones()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var job = cluster.Client.GetJob("list");
        await job.SubmitAsync(Spec("list", 3));
        await cluster.WaitForTasksAsync("list", t => t.Count(x => x.State == TaskState.Running) == 3);
        await job.ScaleAsync(1);

        var live = await job.ListTasksAsync(TaskQuery.Live);
        var all = await job.ListTasksAsync(TaskQuery.All);
        var withEvents = await job.ListTasksAsync(TaskQuery.All with { Events = true });

        // Tasks do not tell their job that they run: the listing shows what the task itself says.
        var running = Assert.Single(live);
        var task = (await cluster.Client.GetGrain<ITaskGrain>(running.Id).GetAsync())!;
        Assert.Equal((0, TaskState.Running, cluster.Node, task.ContainerId), (running.Slot, running.State, running.Node, running.ContainerId));
        Assert.NotNull(running.ContainerId);
        Assert.Equal([TaskState.Running, TaskState.Completed, TaskState.Completed], all.Select(t => t.State).Order());
        Assert.Equal(all.OrderByDescending(t => t.CreatedAt).Select(t => t.Id), all.Select(t => t.Id));
        Assert.All(all, t => Assert.Empty(t.Events));
        Assert.All(withEvents, t => Assert.Equal(TaskState.Pending, t.Events[0].To));
        Assert.Empty(await cluster.Client.GetJob("nothing").ListTasksAsync(TaskQuery.All));
    }

    [Fact]
    public async Task A_live_listing_reads_no_task_that_ended()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var job = cluster.Client.GetJob("quiet");
        await job.SubmitAsync(Spec("quiet", 3));
        var tasks = await cluster.WaitForTasksAsync("quiet", t => t.Count(x => x.State == TaskState.Running) == 3);
        // Slot 2 gives up its slot; slot 1's task fails and keeps its slot, ended, as a service task that may not restart does.
        await job.ScaleAsync(2);
        cluster.Runtime.Exit(tasks.Single(t => t.Slot == 1).ContainerId!, 1);
        await cluster.WaitForTasksAsync("quiet", t => t.Single(x => x.Slot == 1).State == TaskState.Failed);
        await job.ReconcileAsync();
        var ended = tasks.Where(t => t.Slot > 0).Select(t => cluster.Client.GetGrain<ITaskGrain>(t.Id)).ToList();
        foreach (var task in ended)
        {
            await cluster.DeactivateAsync(task);
        }
        await Poll.WaitForAsync(() => AnyActiveAsync(cluster, ended), active => !active, TimeSpan.FromSeconds(10));

        var live = await job.ListTasksAsync(TaskQuery.Live);

        Assert.Equal(0, Assert.Single(live).Slot);
        Assert.False(await AnyActiveAsync(cluster, ended));
        Assert.Equal(3, (await job.ListTasksAsync(TaskQuery.All)).Count);
        Assert.True(await AnyActiveAsync(cluster, ended), "listing every task reads the one that gave up its slot");
    }

    private static async Task<bool> AnyActiveAsync(GrainTestCluster cluster, IReadOnlyList<ITaskGrain> tasks)
    {
        var ids = tasks.Select(t => t.GetGrainId()).ToHashSet();
        var activations = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.Any(a => ids.Contains(a.GrainId));
    }
}
