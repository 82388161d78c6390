using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// A secret on real parts (a silo process on PostgreSQL, the real Docker engine, the real <c>orch</c>): readable in
/// the container at /run/secrets, and nowhere else: not in any stored grain state, <c>docker inspect</c>, the API's
/// views, the events, <c>orch inspect</c> or the silo's log; gone from the node once the task ends.
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class SecretsUserStoryTests : SingleNodeClusterTests
{
    // On /dev/shm, a tmpfs, as the node requires; one folder per test run.
    private readonly string _mountRoot = $"/dev/shm/orch-test-secrets-{Guid.NewGuid():N}";
    private readonly string _plaintext = "pw-" + RandomNumberGenerator.GetHexString(24, lowercase: true);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_mountRoot))
        {
            Directory.Delete(_mountRoot, recursive: true);
        }
    }

    [Fact]
    public async Task A_secret_is_readable_in_its_container_and_nowhere_else_and_leaves_the_node_with_the_task()
    {
        var keyFile = Path.Combine(Cluster.WorkDir, "key");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        var silo = await Cluster.StartAsync(new Dictionary<string, string>
        {
            ["Orchestrator:SecretsKeyFile"] = keyFile,
            ["Orchestrator:SecretsMountRoot"] = _mountRoot,
        });

        var valueFile = Path.Combine(Cluster.WorkDir, "db-pass.txt");
        await File.WriteAllTextAsync(valueFile, _plaintext);
        var create = await Cluster.OrchAsync("secret", "create", "db-pass", "-f", valueFile);
        Assert.True(create.ExitCode == 0, $"{create}\nsilo log:\n{silo.Log}");
        Assert.Equal(2, (await Cluster.OrchAsync("secret", "create", "Bad_Name", "-f", valueFile)).ExitCode);
        var listed = await Cluster.OrchAsync("secret", "ls", "--json");
        var row = Assert.Single(JsonDocument.Parse(listed.StdOut).RootElement.EnumerateArray());
        Assert.Equal("db-pass", row.GetProperty("name").GetString());
        Assert.Equal(_plaintext.Length, row.GetProperty("sizeBytes").GetInt32());

        var unknown = await Cluster.OrchAsync("run", "-f", WriteJob("nope", "no-such-secret"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("secrets[0].name", unknown.StdErr, StringComparison.Ordinal);

        var run = await Cluster.OrchAsync("run", "-f", WriteJob("db", "db-pass"), "--wait", "--timeout", "90", "--json");
        Assert.True(run.ExitCode == 0, $"{run}\nsilo log:\n{silo.Log}");
        var task = JsonDocument.Parse(run.StdOut).RootElement.GetProperty("tasks")[0];
        var taskId = task.GetProperty("id").GetString()!;
        var containerId = task.GetProperty("containerId").GetString()!;

        using (var runtime = Cluster.Engine.CreateRuntime())
        {
            var read = await runtime.ExecAsync(containerId, ["cat", "/run/secrets/password"], CancellationToken.None);
            Assert.Equal(0, read.ExitCode);
            Assert.Equal(_plaintext, read.Output);
            var write = await runtime.ExecAsync(containerId, ["sh", "-c", "echo x > /run/secrets/password"], CancellationToken.None);
            Assert.NotEqual(0, write.ExitCode);
        }

        var inUse = await Cluster.OrchAsync("secret", "rm", "db-pass");
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("in use by job db", inUse.StdErr, StringComparison.Ordinal);

        var seen = new Dictionary<string, string>
        {
            ["docker inspect"] = JsonSerializer.Serialize(await Cluster.Engine.Client.Containers.InspectContainerAsync(containerId)),
            ["orch inspect job"] = (await Cluster.OrchAsync("inspect", "db", "--json")).StdOut,
            ["orch inspect task"] = (await Cluster.OrchAsync("inspect", taskId, "--json")).StdOut,
            ["orch events"] = (await Cluster.OrchAsync("events", "--job", "db", "--json")).StdOut,
            ["orch secret ls"] = listed.StdOut,
        };
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Cluster.DashboardPort}/"), Timeout = TimeSpan.FromSeconds(30) })
        {
            foreach (var path in new[] { "v1/jobs/db", $"v1/tasks/{taskId}", "v1/events?job=db", "v1/secrets", "api/cluster" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode}");
                seen["GET " + path] = await response.Content.ReadAsStringAsync();
            }
        }
        Assert.Contains("db-pass", seen["GET v1/jobs/db"], StringComparison.Ordinal);
        seen["stored grain state"] = await StoredStateAsync();
        Assert.Contains("db-pass", seen["stored grain state"], StringComparison.Ordinal);
        seen["silo log"] = silo.Log;
        var forms = new[] { _plaintext, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(_plaintext)), Convert.ToBase64String(Encoding.UTF8.GetBytes(_plaintext)) };
        foreach (var (where, text) in seen)
        {
            Assert.False(forms.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)), $"the secret's value is in {where}");
        }

        Assert.Single(Directory.EnumerateFiles(_mountRoot, "*", SearchOption.AllDirectories));
        Assert.Equal(0, (await Cluster.OrchAsync("stop", "db")).ExitCode);
        await Poll.WaitForAsync(Cluster.ContainersAsync, c => c.Count == 0);
        // The next sweeps drop the stopped container's folder: the value has left the node.
        await Poll.WaitForAsync(() => Task.FromResult(Directory.EnumerateFiles(_mountRoot, "*", SearchOption.AllDirectories).Count()), files => files == 0);
        var removed = await Cluster.OrchAsync("secret", "rm", "db-pass");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty(JsonDocument.Parse((await Cluster.OrchAsync("secret", "ls", "--json")).StdOut).RootElement.EnumerateArray());
    }

    /// <summary>Every row of the grain-state table as text (where the payload shows as hex), and its payload as UTF-8.</summary>
    private async Task<string> StoredStateAsync()
    {
        await using var connection = await Cluster.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT s::text, coalesce(payload_binary, ''::bytea) FROM orleans_storage s", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            text.AppendLine(reader.GetString(0)).AppendLine(Encoding.UTF8.GetString((byte[])reader[1]));
        }
        return text.ToString();
    }

    private string WriteJob(string name, string secret) =>
        Cluster.WriteJobFile(name, $$"""
            {
              "name": "{{name}}",
              "image": "{{MainEngine.TestImage}}",
              "command": ["sleep", "3600"],
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "secrets": [ { "name": "{{secret}}", "target": "password" } ]
            }
            """);
}
