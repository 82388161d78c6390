using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains;
using Orchestrator.Grains.Nodes;
using Orchestrator.Silo.Persistence;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>
/// Ended tasks and stopped jobs are kept for <c>Orchestrator:TaskRetention</c>, then their rows leave
/// PostgreSQL; live tasks and the tasks holding a replica slot stay. Job reminders tick every second here.
/// </summary>
public sealed class JobPruningTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private static JobSpec Spec(string name, int replicas) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = ["sleep", "3600"],
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
    };

    private async Task<GrainTestCluster> StartAsync(TimeSpan retention)
    {
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        return await GrainTestCluster.StartAsync(postgres: database.ConnectionString, taskRetention: retention, reconcileInterval: Tick);
    }

    [Fact]
    public async Task An_ended_task_that_left_its_slot_is_forgotten_after_the_retention_and_slot_holders_never()
    {
        await using var cluster = await StartAsync(TimeSpan.FromSeconds(5));
        var grain = cluster.Client.GetJob("keep");
        await grain.SubmitAsync(Spec("keep", 3));
        var tasks = await cluster.WaitForTasksAsync("keep", t => t.Count(x => x.State == TaskState.Running) == 3);
        var running = tasks.Single(t => t.Slot == 0);
        var exited = tasks.Single(t => t.Slot == 1);
        var scaledAway = tasks.Single(t => t.Slot == 2);
        // Exit 0 under on-failure ends the task Completed while it keeps holding slot 1.
        cluster.Runtime.Exit(exited.ContainerId!, 0);
        await cluster.WaitForTasksAsync("keep", t => t.Single(x => x.Id == exited.Id).State == TaskState.Completed);

        await grain.ScaleAsync(2);

        // Within the retention the ended task is still there, as orch ps --all and inspect show it.
        Assert.Contains(scaledAway.Id, (await grain.GetAsync())!.TaskIds);
        Assert.Equal(TaskState.Completed, (await cluster.Client.GetGrain<ITaskGrain>(scaledAway.Id).GetAsync())?.State);
        Assert.Equal(1, await CountRowsAsync(StorageNames.TaskState, scaledAway.Id));

        await WaitUntilAsync(async () => !(await grain.GetAsync())!.TaskIds.Contains(scaledAway.Id), "the scaled-away task to be pruned");

        Assert.Null(await cluster.Client.GetGrain<ITaskGrain>(scaledAway.Id).GetAsync());
        Assert.Equal(0, await CountRowsAsync(StorageNames.TaskState, scaledAway.Id));
        Assert.Empty(await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Task] = scaledAway.Id }, default));
        var left = await cluster.TasksAsync("keep");
        Assert.Equal(TaskState.Running, left.Single(t => t.Id == running.Id).State);
        Assert.Equal(TaskState.Completed, left.Single(t => t.Id == exited.Id).State);
        Assert.Equal(1, await CountRowsAsync(StorageNames.TaskState, running.Id));
        Assert.Equal(1, await CountRowsAsync(StorageNames.TaskState, exited.Id));
    }

    [Fact]
    public async Task A_stopped_job_is_removed_after_the_retention_and_its_name_can_be_used_again()
    {
        await using var cluster = await StartAsync(TimeSpan.FromSeconds(5));
        var grain = cluster.Client.GetJob("gone");
        await grain.SubmitAsync(Spec("gone", 2));
        var first = await cluster.WaitForTasksAsync("gone", t => t.Count(x => x.State == TaskState.Running) == 2);

        await grain.StopAsync();

        // Until the retention passes, a stopped job shows as before: Stopped, with its Completed tasks.
        var stopped = await grain.GetAsync();
        Assert.Equal(JobStatus.Stopped, stopped?.Status);
        Assert.Equal(first.Select(t => t.Id).Order(), stopped!.TaskIds.Order());
        Assert.All(await cluster.TasksAsync("gone"), t => Assert.Equal(TaskState.Completed, t.State));
        Assert.Contains("gone", await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
        Assert.Equal(1, await CountRowsAsync(StorageNames.JobState, GrainKeys.Job("gone")));
        foreach (var task in first)
        {
            Assert.Equal(1, await CountRowsAsync(StorageNames.TaskState, task.Id));
        }

        // The job deletes its state, then its directory entry: a read in between sees no job yet a listed name.
        await WaitUntilAsync(
            async () => await grain.GetAsync() is null
                && !(await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync()).Contains("gone"),
            "the stopped job to be removed and unlisted");

        Assert.Equal(0, await CountRowsAsync(StorageNames.JobState, GrainKeys.Job("gone")));
        foreach (var task in first)
        {
            Assert.Equal(0, await CountRowsAsync(StorageNames.TaskState, task.Id));
        }

        var again = await grain.SubmitAsync(Spec("gone", 1));

        Assert.Equal(JobStatus.Active, again.Status);
        var second = await cluster.WaitForTasksAsync("gone", t => t.Count(x => x.State == TaskState.Running) == 1);
        Assert.Empty(second.Select(t => t.Id).Intersect(first.Select(t => t.Id)));
        Assert.Equal(1, await CountRowsAsync(StorageNames.JobState, GrainKeys.Job("gone")));
        Assert.Contains("gone", await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
    }

    [Fact]
    public async Task A_converged_job_with_an_ended_task_inside_its_retention_is_not_rewritten_by_its_reminder()
    {
        await using var cluster = await StartAsync(TimeSpan.FromHours(1));
        var grain = cluster.Client.GetJob("calm");
        await grain.SubmitAsync(Spec("calm", 2));
        await cluster.WaitForTasksAsync("calm", t => t.Count(x => x.State == TaskState.Running) == 2);
        await grain.ScaleAsync(1);
        var version = await JobRowVersionAsync("calm");

        await Task.Delay(Tick * 5);

        Assert.Equal(version, await JobRowVersionAsync("calm"));
        Assert.Equal(2, (await grain.GetAsync())!.TaskIds.Count);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(40);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(200);
        }
    }

    private async Task<long> CountRowsAsync(string stateName, string key)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE grain_type_string = $1 AND grain_id_extension_string = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> JobRowVersionAsync(string job)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleans_storage WHERE grain_type_string = $1 AND grain_id_extension_string = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = StorageNames.JobState });
        command.Parameters.Add(new NpgsqlParameter { Value = GrainKeys.Job(job) });
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
