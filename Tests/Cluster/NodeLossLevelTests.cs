using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains;
using Orchestrator.Grains.Nodes;
using Orchestrator.Silo.Persistence;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using static Orchestrator.Tests.Cluster.SiloLoss;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Node loss is a level: a lost notice, or a node directory that cannot be written for a while, delays the
/// replacement of a dead silo's tasks but never prevents it.
/// </summary>
public sealed class NodeLossLevelTests
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_task_on_a_dead_silo_is_replaced_by_its_job_though_no_loss_notice_ever_arrives()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("levelloss");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2, postgres: database.ConnectionString,
            nodeLossCheckInterval: CheckInterval, lossNotices: false);
        // Under the job's one-minute reminder: the job's own check of its nodes finds the loss.
        await SiloLoss.KillTheSecondAndSeeItsTasksReplacedAsync(cluster);
    }

    /// <summary>
    /// The directory refuses every write for longer than any fixed number of retries would wait: the loss must be
    /// recorded once it can be, however long that takes.
    /// </summary>
    [Fact]
    public async Task A_lost_node_is_marked_down_once_the_directory_can_be_written_again_however_long_it_refused()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("levelloss");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        await using var cluster = await GrainTestCluster.StartAsync(cpus: 4, silos: 2, postgres: database.ConnectionString, nodeLossCheckInterval: CheckInterval);
        var victim = cluster.Nodes[1];
        var directory = cluster.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);
        var directoryId = directory.GetGrainId();
        await WaitUntilAsync(async () => (await cluster.ReadStoredAsync<NodeDirectoryState>(StorageNames.NodeDirectoryState, directoryId))?.Nodes.ContainsKey(victim) == true,
            TimeSpan.FromSeconds(20));

        cluster.StorageFaults.FailWrites = (state, _) => state == StorageNames.NodeDirectoryState;
        await cluster.KillAsync(victim);
        await Task.Delay(TimeSpan.FromSeconds(20));
        Assert.NotEqual(NodeStatus.Down, (await cluster.ReadStoredAsync<NodeDirectoryState>(StorageNames.NodeDirectoryState, directoryId))!.Nodes[victim].Status);
        cluster.StorageFaults.FailWrites = null;

        await WaitUntilAsync(async () => (await cluster.ReadStoredAsync<NodeDirectoryState>(StorageNames.NodeDirectoryState, directoryId))!.Nodes[victim].Status == NodeStatus.Down,
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_submission_or_scale_whose_write_fails_leaves_the_job_as_it_was()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var web = cluster.Client.GetJob("web");
        await web.SubmitAsync(Spec("web", 2));
        await cluster.WaitForTasksAsync("web", t => Running(t, 2));

        cluster.StorageFaults.FailWrites = (state, _) => state == StorageNames.JobState;
        await Assert.ThrowsAnyAsync<Exception>(() => web.ScaleAsync(5));
        await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.GetJob("api").SubmitAsync(Spec("api", 1)));
        cluster.StorageFaults.FailWrites = null;

        Assert.Equal(2, (await web.GetAsync())!.Spec.Replicas);
        Assert.Null(await cluster.Client.GetJob("api").GetAsync());
        // Nothing refused comes back later: the next reconcile keeps two replicas.
        await web.ReconcileAsync();
        var tasks = await cluster.WaitForTasksAsync("web", t => Running(t, 2));
        Assert.Equal(2, tasks.Count);
        Assert.Equal(3, (await web.ScaleAsync(3)).Spec.Replicas);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not reached within {timeout.TotalSeconds} s");
            }
            await Task.Delay(200);
        }
    }
}
