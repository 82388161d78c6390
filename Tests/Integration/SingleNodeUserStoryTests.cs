using System.Text.Json;
using Npgsql;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// The spine's user story on real parts: a real silo process on PostgreSQL and the real Docker engine,
/// driven through the real <c>orch</c> client. The silo is killed with SIGKILL and must adopt, not
/// restart or duplicate, the containers it left running.
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class SingleNodeUserStoryTests : SingleNodeClusterTests
{
    [Fact]
    public async Task Two_replicas_serve_survive_a_killed_silo_by_adoption_and_stop_cleanly()
    {
        var silo = await Cluster.StartAsync();
        var jobFile = WriteJob("web", replicas: 2);

        var run = await Cluster.OrchAsync("run", "-f", jobFile, "--wait", "--timeout", "90", "--json");
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{silo.Log}");
        var tasks = ParseTasks(JsonDocument.Parse(run.StdOut).RootElement.GetProperty("tasks"));
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Running", t.State));

        var containers = await Cluster.ContainersAsync();
        Assert.Equal(tasks.Select(t => t.ContainerId).Order(), containers.Select(c => c.ID).Order());
        Assert.All(containers, c =>
        {
            Assert.Equal("running", c.State);
            Assert.Equal("node-a", c.Labels[ContainerLabels.Node]);
            Assert.Equal("web", c.Labels[ContainerLabels.Job]);
            Assert.Contains(c.Labels[ContainerLabels.Task], tasks.Select(t => t.Id));
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var task in tasks)
        {
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://127.0.0.1:{task.HostPort}/")), StringComparison.Ordinal);
        }
        var startedAt = await StartTimesAsync(containers.Select(c => c.ID));

        silo.Kill();
        Assert.Equal(2, (await Cluster.ContainersAsync()).Count(c => c.State == "running"));
        await silo.RestartAsync();

        var adopted = await Poll.WaitForAsync(async () =>
        {
            var ps = await Cluster.OrchAsync("ps", "--json");
            return ps.ExitCode == 0 ? ParseTasks(JsonDocument.Parse(ps.StdOut).RootElement) : null;
        }, t => t is { Count: 2 } && t.All(x => x.State == "Running"));
        Assert.Equal(tasks.Select(t => (t.Id, t.ContainerId)).Order(), adopted!.Select(t => (t.Id, t.ContainerId)).Order());
        // Several sweeps later: still the same two containers, never restarted, none added.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var after = await Cluster.ContainersAsync();
        Assert.Equal(containers.Select(c => c.ID).Order(), after.Select(c => c.ID).Order());
        Assert.Equal(startedAt, await StartTimesAsync(after.Select(c => c.ID)));

        var stop = await Cluster.OrchAsync("stop", "web");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await Poll.WaitForAsync(Cluster.ContainersAsync, c => c.Count == 0);
        var all = await Cluster.OrchAsync("ps", "--all", "--json");
        Assert.All(ParseTasks(JsonDocument.Parse(all.StdOut).RootElement), t => Assert.Equal("Completed", t.State));
    }

    [Fact]
    public async Task An_invalid_spec_is_refused_with_exit_2_naming_the_field_and_nothing_is_stored()
    {
        await Cluster.StartAsync();
        var jobFile = WriteJob("broken", replicas: -1);

        var run = await Cluster.OrchAsync("run", "-f", jobFile);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("replicas", run.StdErr, StringComparison.Ordinal);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.Equal(1, (await Cluster.OrchAsync("inspect", "broken")).ExitCode);

        // The silo never trusts a client: the same spec sent straight to the grain is refused too.
        await using (var client = await Cluster.ConnectAsync())
        {
            var spec = JobSpecParser.Parse(File.ReadAllText(jobFile));
            var error = await Assert.ThrowsAsync<JobSpecException>(() => client.Client.GetJob("broken").SubmitAsync(spec));
            Assert.Contains("replicas", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0, await RowsMentioningAsync("broken"));
        Assert.Equal(1, (await Cluster.OrchAsync("inspect", "broken")).ExitCode);
        Assert.Empty(await Cluster.ContainersAsync());
    }

    private async Task<long> RowsMentioningAsync(string text)
    {
        await using var connection = await Cluster.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE position(convert_to(@text, 'UTF8') in coalesce(payload_binary, ''::bytea)) > 0 OR grain_id_extension_string = @text",
            connection);
        command.Parameters.AddWithValue("text", text);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private string WriteJob(string name, int replicas) =>
        Cluster.WriteJobFile(name, $$"""
            {
              "name": "{{name}}",
              "image": "{{MainEngine.TestImage}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              "replicas": {{replicas}},
              "resources": { "cpu": 0.1, "memoryMb": 32 },
              "ports": [ { "container": 8080, "host": 0 } ]
            }
            """);

    private async Task<List<string>> StartTimesAsync(IEnumerable<string> ids)
    {
        var times = new List<string>();
        foreach (var id in ids.Order())
        {
            times.Add($"{(await Cluster.Engine.Client.Containers.InspectContainerAsync(id)).State?.StartedAt}");
        }
        return times;
    }

    private static List<TaskRow> ParseTasks(JsonElement array) => array.EnumerateArray().Select(t => new TaskRow(
        t.GetProperty("id").GetString()!,
        t.GetProperty("state").GetString()!,
        t.GetProperty("containerId").GetString(),
        t.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("host").GetInt32()).FirstOrDefault())).ToList();

    private sealed record TaskRow(string Id, string State, string? ContainerId, int HostPort);
}
