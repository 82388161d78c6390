using Microsoft.Extensions.Logging.Abstractions;
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
        await using var database = await PostgresDatabase.CreateAsync("jobs");
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
}
