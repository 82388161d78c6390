using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Silo.Persistence;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>Job state in PostgreSQL outlives the whole cluster, whatever the job is called.</summary>
public sealed class JobGrainPersistenceTests
{
    [Fact]
    public async Task Jobs_named_like_hexadecimal_numbers_are_found_again_after_a_cluster_restart()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("jobs");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        string[] names = ["cafe", "0cafe", "42", "web"];
        await using (var cluster = await GrainTestCluster.StartAsync(postgres: database.ConnectionString))
        {
            for (var i = 0; i < names.Length; i++)
            {
                await cluster.Client.GetJob(names[i]).SubmitAsync(new JobSpec { Name = names[i], Image = "orch-test/busybox:latest", Replicas = i });
            }
        }

        await using var restarted = await GrainTestCluster.StartAsync(postgres: database.ConnectionString);
        for (var i = 0; i < names.Length; i++)
        {
            var job = await restarted.Client.GetJob(names[i]).GetAsync();
            Assert.NotNull(job);
            Assert.Equal(names[i], job.Spec.Name);
            Assert.Equal(i, job.Spec.Replicas);
        }
        Assert.Equal(names.Order(), await restarted.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
    }

    [Fact]
    public async Task Jobs_submitted_together_are_all_listed_after_a_restart_and_share_directory_writes()
    {
        await using var database = await SharedPostgres.CreateDatabaseAsync("jobs");
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, default);
        var names = Enumerable.Range(0, 40).Select(i => $"burst-{i}").ToArray();
        await using (var cluster = await GrainTestCluster.StartAsync(postgres: database.ConnectionString))
        {
            await Task.WhenAll(names.Select(n => cluster.Client.GetJob(n).SubmitAsync(new JobSpec { Name = n, Image = "orch-test/busybox:latest", Replicas = 0 })));
        }

        await using var restarted = await GrainTestCluster.StartAsync(postgres: database.ConnectionString);
        Assert.Equal(names.Order(StringComparer.Ordinal), await restarted.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
        // Each write of a grain's state bumps its row's version: the directory wrote fewer times than it was asked to.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT version FROM orleans_storage WHERE grain_type_string = @type", connection);
        query.Parameters.AddWithValue("type", Orchestrator.Grains.StorageNames.JobDirectoryState);
        var writes = Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(writes, 1, names.Length - 1);
    }
}
