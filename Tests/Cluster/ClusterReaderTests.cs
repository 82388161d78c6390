using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Cluster;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>What <c>orch ps</c>, <c>orch events</c> and the API's task lists read (<see cref="ClusterReader"/>), on one in-process silo.</summary>
public sealed class ClusterReaderTests
{
    [Fact]
    public async Task Ps_lists_the_live_tasks_of_every_job_newest_first_and_events_every_transition_oldest_first()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("api").SubmitAsync(TestJobs.Sleeping("api", 2));
        await cluster.WaitForTasksAsync("api", t => t.Count(x => x.State == TaskState.Running) == 2);
        await cluster.Client.GetJob("api").ScaleAsync(1);
        await cluster.Client.GetJob("web").SubmitAsync(TestJobs.Sleeping("web"));
        await cluster.WaitForTasksAsync("web", t => t.Single().State == TaskState.Running);

        var live = await ClusterReader.ListTasksAsync(cluster.Client, null, TaskQuery.Live);
        var all = await ClusterReader.ListTasksAsync(cluster.Client, "api", TaskQuery.All);
        var events = await ClusterReader.GetEventsAsync(cluster.Client, "api");

        Assert.Equal([("web", 0, TaskState.Running), ("api", 0, TaskState.Running)], live.Select(t => (t.Job, t.Slot, t.State)));
        Assert.Equal([TaskState.Running, TaskState.Completed], all.Select(t => t.State).Order());
        Assert.All(all, t => Assert.Equal("api", t.Job));
        Assert.Equal(events.OrderBy(e => e.Time).Select(e => e.Time), events.Select(e => e.Time));
        Assert.Equal(all.Select(t => t.Id).Order(), events.Select(e => e.Task).Distinct().Order());
        var scaledDown = all.Single(t => t.State == TaskState.Completed).Id;
        Assert.Equal(
            [TaskState.Pending, TaskState.Scheduled, TaskState.Running, TaskState.Completed],
            events.Where(e => e.Task == scaledDown).Select(e => e.To));
    }

    [Fact]
    public async Task A_job_that_does_not_exist_is_not_found()
    {
        await using var cluster = await GrainTestCluster.StartAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => ClusterReader.ListTasksAsync(cluster.Client, "nope", TaskQuery.Live));
        await Assert.ThrowsAsync<NotFoundException>(() => ClusterReader.GetEventsAsync(cluster.Client, "nope"));
        Assert.Empty(await ClusterReader.ListTasksAsync(cluster.Client, null, TaskQuery.All));
    }
}
