using System.Text;
using System.Text.Json;
using Npgsql;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// Images pulled from real registries (Debian's <c>docker-registry</c> on loopback ports, one open and one behind
/// htpasswd basic auth) by a real silo process on PostgreSQL and the real engine, driven through <c>orch</c>. Each
/// test pushes a fresh image (a layer no registry or engine has seen) and removes it from the engine first, so the
/// silo's node must pull all of it. The silo and the registries are shared (<see cref="RegistryPullFixture"/>).
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class RegistryPullTests(DockerTestEngine docker, RegistryPullFixture fixture) : IClassFixture<RegistryPullFixture>
{
    [Fact]
    public async Task An_image_only_a_registry_has_is_pulled_and_its_job_runs_with_the_pull_in_its_events()
    {
        var image = await fixture.Open.PushFreshImageAsync("orch-pull/web");
        Assert.False(await HasImageAsync(image));

        var run = await fixture.Cluster.OrchAsync("run", "-f", WriteJob("pulled", image), "--wait", "--timeout", "90");

        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{fixture.Cluster.Silo.Log}");
        Assert.True(await HasImageAsync(image));
        var task = Assert.Single(await TasksAsync("pulled"));
        Assert.Equal("Running", task.GetProperty("state").GetString());
        var reasons = await EventReasonsAsync(task.GetProperty("id").GetString()!);
        var pulling = reasons.FindIndex(r => r == $"pulling image {image} on node-a");
        var pulled = reasons.FindIndex(r => r.StartsWith($"pulled image {image} in ", StringComparison.Ordinal));
        Assert.True(pulling >= 0 && pulled > pulling, string.Join(" | ", reasons));
        await MetricsPage.WaitForSampleAsync(fixture.Cluster.DashboardPort, "orch_image_pulls_total", new Dictionary<string, string> { ["result"] = "pulled" }, atLeast: 1);
    }

    [Fact]
    public async Task Credentials_come_from_the_auth_file_and_wrong_or_missing_ones_leave_the_task_waiting_with_the_registrys_reason_leaking_nowhere()
    {
        var password = fixture.Password;
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var registry = fixture.Private;
        var image = await registry.PushFreshImageAsync("orch-pull/private");
        var authFile = fixture.AuthFile;
        WriteAuthFile(authFile, registry.Host, "alice", wrong);
        var outputs = new List<string>();

        var refused = await fixture.Cluster.OrchAsync("run", "-f", WriteJob("wrong", image), "--wait", "--timeout", "60");
        outputs.Add(refused.ToString());
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("could not pull its image", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("unauthorized", refused.StdErr, StringComparison.Ordinal);
        var waiting = Assert.Single(await TasksAsync("wrong"));
        Assert.Equal("Scheduled", waiting.GetProperty("state").GetString());
        Assert.Equal(0, waiting.GetProperty("restarts").GetInt32());
        Assert.Contains("unauthorized", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The file is read at every pull: no restart of the silo needed.
        File.WriteAllText(authFile, """{ "auths": {} }""");
        var anonymous = await fixture.Cluster.OrchAsync("run", "-f", WriteJob("anonymous", image), "--wait", "--timeout", "60");
        outputs.Add(anonymous.ToString());
        Assert.True(anonymous.ExitCode == 1, anonymous.ToString());
        Assert.Contains("no basic auth credentials", anonymous.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(await TasksAsync("anonymous")).GetProperty("restarts").GetInt32());

        WriteAuthFile(authFile, registry.Host, "alice", password);
        var run = await fixture.Cluster.OrchAsync("run", "-f", WriteJob("right", image), "--wait", "--timeout", "90");
        outputs.Add(run.ToString());
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{fixture.Cluster.Silo.Log}");

        outputs.Add((await fixture.Cluster.OrchAsync("inspect", waiting.GetProperty("id").GetString()!, "--json")).StdOut);
        outputs.Add((await fixture.Cluster.OrchAsync("ps", "--all", "--json")).StdOut);
        outputs.Add((await fixture.Cluster.OrchAsync("events", "--json")).StdOut);
        outputs.Add(fixture.Cluster.Silo.Log);
        foreach (var secret in new[] { password, wrong, Base64($"alice:{password}"), Base64($"alice:{wrong}") })
        {
            Assert.DoesNotContain(outputs, o => o.Contains(secret, StringComparison.Ordinal));
            Assert.Equal(0, await StateRowsContainingAsync(secret));
        }
        // The check above can see a secret where there is one: the events do hold the image's name.
        Assert.True(await StateRowsContainingAsync(image) > 0);
    }

    private static void WriteAuthFile(string path, string registry, string user, string password) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [registry] = new Dictionary<string, string> { ["auth"] = Base64($"{user}:{password}") } },
        }));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private async Task<bool> HasImageAsync(string image)
    {
        try
        {
            await docker.Client.Images.InspectImageAsync(image);
            return true;
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
            return false;
        }
    }

    private async Task<List<JsonElement>> TasksAsync(string job)
    {
        var ps = await fixture.Cluster.OrchAsync("ps", "--job", job, "--json");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return [.. JsonDocument.Parse(ps.StdOut).RootElement.EnumerateArray()];
    }

    private async Task<List<string>> EventReasonsAsync(string taskId)
    {
        var inspect = await fixture.Cluster.OrchAsync("inspect", taskId, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        return [.. JsonDocument.Parse(inspect.StdOut).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!)];
    }

    private async Task<long> StateRowsContainingAsync(string text)
    {
        await using var connection = await fixture.Cluster.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE position(convert_to(@text, 'UTF8') in coalesce(payload_binary, ''::bytea)) > 0",
            connection);
        command.Parameters.AddWithValue("text", text);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private string WriteJob(string name, string image) =>
        fixture.Cluster.WriteJobFile(name, $$"""
            {
              "name": "{{name}}",
              "image": "{{image}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              "resources": { "cpu": 0.1, "memoryMb": 32 }
            }
            """);
}
