using System.Security.Cryptography;
using System.Text;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Secrets;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Secrets;

/// <summary>Secrets through the grains on the simulated runtime: what a job may name, what a node is given, and when it is taken back.</summary>
public sealed class SecretGrainTests
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("s3cret-value");

    private static JobSpec Job(string secret) => new()
    {
        Name = "db",
        Image = "orch-test/busybox:latest",
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        Restart = new RestartSpec { Policy = RestartPolicies.Never },
        Secrets = [new SecretSpec { Name = secret, Target = "password" }],
    };

    [Fact]
    public async Task Without_a_key_secrets_and_jobs_naming_them_are_refused()
    {
        await using var cluster = await GrainTestCluster.StartAsync();

        var refused = await Assert.ThrowsAsync<SecretRefusedException>(() => cluster.Client.GetSecret("db-pass").CreateAsync(Value));
        Assert.Contains("Orchestrator:SecretsKeyFile", refused.Message, StringComparison.Ordinal);
        var job = await Assert.ThrowsAsync<JobSpecException>(() => cluster.Client.GetJob("db").SubmitAsync(Job("db-pass")));
        Assert.Equal("secrets", job.Errors[0].Field);
    }

    [Fact]
    public async Task The_node_is_given_the_value_for_the_tasks_container_and_drops_it_once_the_container_exits()
    {
        var vault = new SecretVault(new SecretCipher(RandomNumberGenerator.GetBytes(SecretCipher.KeyBytes)));
        await using var cluster = await GrainTestCluster.StartAsync(secrets: vault);
        var secret = cluster.Client.GetSecret("db-pass");
        await secret.CreateAsync(Value.ToArray());
        // A repeated create of the same value is a retry; another value is refused: secrets never change.
        await secret.CreateAsync(Value.ToArray());
        await Assert.ThrowsAsync<SecretRefusedException>(() => secret.CreateAsync(Encoding.UTF8.GetBytes("other")));
        var unknown = await Assert.ThrowsAsync<JobSpecException>(() => cluster.Client.GetJob("db").SubmitAsync(Job("nope")));
        Assert.Equal("secrets[0].name", unknown.Errors[0].Field);

        await cluster.Client.GetJob("db").SubmitAsync(Job("db-pass"));
        var running = await cluster.WaitForTasksAsync("db", t => t.Count == 1 && t[0].State == TaskState.Running);
        var containerId = running[0].ContainerId!;

        var file = Assert.Single(cluster.Runtime.SecretsOf(containerId));
        Assert.Equal("password", file.FileName);
        Assert.Equal(Value, file.Value.ToArray());
        var inUse = await Assert.ThrowsAsync<SecretRefusedException>(secret.RemoveAsync);
        Assert.Contains("in use by job db", inUse.Message, StringComparison.Ordinal);

        cluster.Runtime.Exit(containerId, 0);
        await cluster.WaitForTasksAsync("db", t => t[0].State == TaskState.Completed);
        await Poll.WaitForAsync(() => Task.FromResult(cluster.Runtime.SecretsOf(containerId).Count), count => count == 0, TimeSpan.FromSeconds(20));

        await cluster.Client.GetJob("db").StopAsync();
        await secret.RemoveAsync();
        Assert.Null(await secret.GetInfoAsync());
        Assert.Empty(await cluster.Client.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Key).ListAsync());
    }
}
