using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A secret on three machines: its value reaches only the node that runs its task, follows the task to another node
/// when that machine dies, leaves the dead machine when it comes back, and leaves every node when the job stops.
/// Each silo mounts secrets under a tmpfs folder of its own, as each machine has its own /dev/shm.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class SecretsRigTests(ClusterRigFixture rig, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-secrets-rig-").FullName;
    private readonly string _plaintext = "pw-" + RandomNumberGenerator.GetHexString(24, lowercase: true);
    private readonly Dictionary<string, string> _mountRoots = rig.Engines.ToDictionary(e => e.Name, _ => $"/dev/shm/orch-test-secrets-{Guid.NewGuid():N}");
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        var keyFile = Path.Combine(_workDir, "key");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        // No restart grace: the silos are seconds old when the test kills one, and must act as a steady cluster's would.
        _cluster = await RigCluster.StartAsync(rig.Engines, engine => new Dictionary<string, string>
        {
            ["Orchestrator:NodeRestartGrace"] = "00:00:00",
            ["Orchestrator:SecretsKeyFile"] = keyFile,
            ["Orchestrator:SecretsMountRoot"] = _mountRoots[engine.Name],
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
        foreach (var root in _mountRoots.Values.Where(Directory.Exists))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_secret_is_only_on_the_node_running_its_task_follows_it_when_the_machine_dies_and_leaves_every_node()
    {
        var valueFile = Path.Combine(_workDir, "value");
        await File.WriteAllTextAsync(valueFile, _plaintext);
        var created = await Cluster.OrchAsync("secret", "create", "db-pass", "-f", valueFile);
        Assert.True(created.ExitCode == 0, created.ToString());
        var run = await Cluster.OrchAsync("run", "-f", WriteJob(), "--wait", "--timeout", "90");
        Assert.True(run.ExitCode == 0, run.ToString());

        var first = (await Poll.WaitForAsync(() => Cluster.TasksAsync("--job", "db"), t => t.Count == 1)).Single();
        await AssertReadAsync(first);
        Assert.Equal(OnlyOn(first.Node), SecretFiles());

        // The machine dies: its task is replaced on another node, which is given the value, and no third node is.
        var victim = rig.Engines.Single(e => e.Name == first.Node);
        var victimSilo = Cluster.Silos[rig.Engines.ToList().IndexOf(victim)];
        victimSilo.Kill();
        await victim.KillAllContainersAsync();
        var second = (await Poll.WaitForAsync(
            () => Cluster.TasksAsync("--job", "db"),
            tasks => tasks.Any(t => t.State == "Running" && t.Node != victim.Name),
            TimeSpan.FromSeconds(90))).Single(t => t.State == "Running" && t.Node != victim.Name);
        await AssertReadAsync(second);
        var files = SecretFiles();
        Assert.Equal(1, files[second.Node!]);
        Assert.Equal(0, files.Single(f => f.Key != victim.Name && f.Key != second.Node).Value);

        // Back up, the dead machine's node finds the container stopped and drops its value.
        await victimSilo.RestartAsync();
        await Poll.WaitForAsync(() => Task.FromResult(SecretFiles()), f => f.SequenceEqual(OnlyOn(second.Node)), TimeSpan.FromSeconds(60));

        Assert.Equal(0, (await Cluster.OrchAsync("stop", "db")).ExitCode);
        var left = await Poll.WaitForAsync(() => Task.FromResult(SecretFiles()), f => f.Values.All(n => n == 0), TimeSpan.FromSeconds(60));
        output.WriteLine($"secret files per node after the stop: {JsonSerializer.Serialize(left)}");
        foreach (var silo in Cluster.Silos)
        {
            Assert.DoesNotContain(_plaintext, silo.Log, StringComparison.Ordinal);
        }
    }

    /// <summary>The task's container read the value at /run/secrets/password: its log has the value's SHA-256, never the value.</summary>
    private async Task AssertReadAsync(RigTask task)
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_plaintext)));
        var logs = await Poll.WaitForAsync(() => Cluster.OrchAsync("logs", task.Id), l => l.StdOut.Contains(expected, StringComparison.Ordinal));
        output.WriteLine($"{task.Id} on {task.Node}: {logs.StdOut.Trim()}");
    }

    /// <summary>Node → how many secret files are under its mount root.</summary>
    private SortedDictionary<string, int> SecretFiles() => new(
        _mountRoots.ToDictionary(
            r => r.Key,
            r => Directory.Exists(r.Value) ? Directory.EnumerateFiles(r.Value, "*", SearchOption.AllDirectories).Count() : 0),
        StringComparer.Ordinal);

    private SortedDictionary<string, int> OnlyOn(string? node) => new(
        _mountRoots.Keys.ToDictionary(n => n, n => n == node ? 1 : 0),
        StringComparer.Ordinal);

    private string WriteJob() => Cluster.WriteJobFile("db", $$"""
        {
          "name": "db",
          "image": "{{MainEngine.TestImage}}",
          "command": ["sh", "-c", "busybox sha256sum /run/secrets/password; exec sleep 3600"],
          "resources": { "cpu": 0.1, "memoryMb": 16 },
          "secrets": [ { "name": "db-pass", "target": "password" } ],
          "stopGraceSeconds": 1
        }
        """);
}
