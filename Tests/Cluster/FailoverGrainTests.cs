using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Silo.Persistence;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using static Orchestrator.Tests.Cluster.SiloLoss;

namespace Orchestrator.Tests.Cluster;

/// <summary>Several in-process silos, each its own simulated machine: node loss, drain and return, at grain level.</summary>
public sealed class FailoverGrainTests
{
    [Fact]
    public async Task The_tasks_of_a_dead_silo_are_replaced_on_the_survivors_and_its_node_shows_down()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("failover");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2, postgres: database.ConnectionString);
        var victim = await SiloLoss.KillTheSecondAndSeeItsTasksReplacedAsync(cluster);

        var nodes = await cluster.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
        Assert.Equal(NodeStatus.Down, nodes.Single(n => n.Name == victim).Status);
    }

    [Fact]
    public async Task A_job_with_tasks_on_a_lost_node_can_still_be_stopped()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("lost_stop");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2, postgres: database.ConnectionString);
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web", 4));
        await cluster.WaitForTasksAsync("web", t => Running(t, 4));
        var victim = cluster.Nodes[1];

        await cluster.KillAsync(victim);
        await cluster.WaitForTasksAsync("web", t => t.Any(x => x is { State: TaskState.Failed, Displaced: true } && x.Node == victim), TimeSpan.FromSeconds(45));

        // The node of some of its tasks no longer exists anywhere: stopping must not depend on asking it.
        var stopped = await cluster.Client.GetJob("web").StopAsync();
        Assert.Equal(JobStatus.Stopped, stopped.Status);
        var tasks = await cluster.WaitForTasksAsync("web", t => t.All(x => TaskTransitions.IsTerminal(x.State)));
        Assert.Empty(await cluster.RuntimeOf(cluster.Nodes[0]).ListAsync(new Dictionary<string, string>(), default));
        Assert.DoesNotContain(tasks, t => t.State == TaskState.Running);
    }

    [Fact]
    public async Task A_drain_starts_each_replacement_before_it_stops_a_drained_replica_max_parallel_at_a_time()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2);
        var spec = Spec("api", 4) with { Update = new UpdateSpec { MaxParallel = 1, MinHealthySeconds = 1 } };
        await cluster.Client.GetJob("api").SubmitAsync(spec);
        await cluster.WaitForTasksAsync("api", t => Running(t, 4));
        var drained = cluster.Nodes[0];

        await cluster.Client.GetNode(drained).DrainAsync(INodeGrain.DefaultDrainDeadline);

        // Watched throughout: a drained replica stops only once its replacement runs, and one slot moves at a time.
        var fewest = int.MaxValue;
        var most = 0;
        var tasks = await cluster.WaitForTasksAsync("api", t =>
        {
            var running = t.Count(x => x.State == TaskState.Running);
            fewest = Math.Min(fewest, running);
            most = Math.Max(most, running);
            return running == 4 && t.Where(x => x.State == TaskState.Running).All(x => x.Node != drained);
        }, TimeSpan.FromSeconds(60));
        Assert.Equal(4, fewest);
        Assert.Equal(5, most);
        var moved = tasks.Where(t => t.Node == drained).ToList();
        Assert.Equal(2, moved.Count);
        Assert.All(moved, t => Assert.Equal((TaskState.Completed, false), (t.State, t.Displaced)));
        var node = await cluster.Client.GetNode(drained).GetInfoAsync();
        Assert.Equal((NodeStatus.Draining, 0), (node.Status, node.Tasks));
    }

    [Fact]
    public async Task A_forced_drain_stops_the_tasks_at_once_keeps_the_replica_count_and_stops_placement_there()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2);
        await cluster.Client.GetJob("api").SubmitAsync(Spec("api", 4));
        await cluster.WaitForTasksAsync("api", t => Running(t, 4));
        var drained = cluster.Nodes[0];

        await cluster.Client.GetNode(drained).DrainAsync(TimeSpan.Zero);

        var tasks = await cluster.WaitForTasksAsync("api", t => Running(t, 4) && t.Where(x => x.State == TaskState.Running).All(x => x.Node != drained));
        Assert.Equal(2, tasks.Count(t => t is { State: TaskState.Completed, Displaced: true }));
        Assert.Empty(await cluster.RuntimeOf(drained).ListAsync(new Dictionary<string, string>(), default));
        var node = await cluster.Client.GetNode(drained).GetInfoAsync();
        Assert.Equal(NodeStatus.Draining, node.Status);
        Assert.Equal(0, node.Tasks);

        await cluster.Client.GetNode(drained).UncordonAsync();
        // Ten half-core replicas cannot all fit on the other 4-core node: the uncordoned node must take some.
        await cluster.Client.GetJob("api").ScaleAsync(10);
        await cluster.WaitForTasksAsync("api", t => Running(t, 10) && t.Any(x => x.State == TaskState.Running && x.Node == drained));
    }

    [Fact]
    public async Task Spread_places_replicas_evenly_and_scaling_down_keeps_the_oldest()
    {
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2);
        var grain = cluster.Client.GetJob("even");

        await grain.SubmitAsync(Spec("even", 4));

        var tasks = await cluster.WaitForTasksAsync("even", t => Running(t, 4));
        Assert.All(cluster.Nodes, n => Assert.Equal(2, tasks.Count(t => t.Node == n)));
        await grain.ScaleAsync(2);
        var scaled = await cluster.TasksAsync("even");
        Assert.Equal(new[] { 0, 1 }, scaled.Where(t => t.State == TaskState.Running).Select(t => t.Slot).Order());
    }
}
