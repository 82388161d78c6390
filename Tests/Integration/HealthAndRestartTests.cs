using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// Restart policies, health checks, logs and events on real parts: a real silo on PostgreSQL, the real
/// Docker engine and the real <c>orch</c> client. Intervals and backoffs are the smallest allowed, so
/// every story ends within seconds.
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class HealthAndRestartTests : SingleNodeClusterTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Long enough that a prompt exit can only have been seen through the engine's events.
        await Cluster.StartAsync(new Dictionary<string, string> { ["Orchestrator:SweepInterval"] = "00:00:30" });
    }

    [Fact]
    public async Task A_crash_loop_restarts_with_growing_gaps_then_fails_and_its_logs_and_events_remain()
    {
        await Run("crash", """
            "command": ["sh", "-c", "echo boom; exit 3"],
            "restart": { "policy": "on-failure", "maxRestarts": 2, "backoffSeconds": 1 }
            """);

        var task = await WaitForTaskAsync("crash", t => t.GetProperty("state").GetString() == "Failed");

        Assert.Equal(2, task.GetProperty("restarts").GetInt32());
        Assert.Equal(3, task.GetProperty("lastExitCode").GetInt32());
        var events = task.GetProperty("events").EnumerateArray().ToList();
        var started = events.Where(e => e.GetProperty("to").GetString() == "Running").Select(e => e.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(3, started.Count);
        var firstGap = started[1] - started[0];
        var secondGap = started[2] - started[1];
        Assert.True(firstGap >= TimeSpan.FromSeconds(1), $"first restart after {firstGap}");
        Assert.True(secondGap >= TimeSpan.FromSeconds(2) && secondGap > firstGap, $"gaps {firstGap} then {secondGap}");
        Assert.Contains("exited with code 3; restart 1 of 2 in 1s", Reasons(events));
        Assert.Contains("exited with code 3; restart 2 of 2 in 2s", Reasons(events));
        Assert.Equal("exited with code 3; no restart left (2 of 2 used)", events[^1].GetProperty("reason").GetString());
        // An operator's Prometheus sees them too, on the page a caller on loopback reads without a token.
        Assert.Equal(2, await MetricsPage.WaitForSampleAsync(Cluster.DashboardPort, "orch_task_restarts_total", new Dictionary<string, string> { ["job"] = "crash" }, atLeast: 2));

        var id = task.GetProperty("id").GetString()!;
        var logs = await Cluster.OrchAsync("logs", id);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("boom", logs.StdOut, StringComparison.Ordinal);

        var listed = await Cluster.OrchAsync("events", "--job", "crash", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var rows = JsonDocument.Parse(listed.StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(events.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(["time", "task", "job", "from", "to", "reason"], r.EnumerateObject().Select(p => p.Name).Take(6)));
        var times = rows.Select(r => r.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(
            events.Select(e => (e.GetProperty("from").ToString(), e.GetProperty("to").GetString(), e.GetProperty("reason").GetString())),
            rows.Select(r => (r.GetProperty("from").ToString(), r.GetProperty("to").GetString(), r.GetProperty("reason").GetString())));
        Assert.All(rows, r => Assert.Equal(id, r.GetProperty("task").GetString()));
        Assert.Equal(
            ["Pending", "Scheduled", "Running", "Scheduled", "Running", "Scheduled", "Running", "Failed"],
            rows.Select(r => r.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task An_http_check_on_a_missing_path_restarts_the_task_then_fails_it_saying_why()
    {
        await Run("sick", """
            "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
            "ports": [ { "container": 8080, "host": 0 } ],
            "restart": { "policy": "on-failure", "maxRestarts": 1, "backoffSeconds": 1 },
            "health": { "http": { "port": 8080, "path": "/missing" }, "intervalSeconds": 1, "timeoutSeconds": 1, "failureThreshold": 2 }
            """);

        var task = await WaitForTaskAsync("sick", t => t.GetProperty("state").GetString() == "Failed", TimeSpan.FromSeconds(90));

        Assert.Equal(1, task.GetProperty("restarts").GetInt32());
        var reasons = Reasons(task.GetProperty("events").EnumerateArray());
        Assert.Contains("health check failed 2 times: http GET /missing returned 404; restart 1 of 1 in 1s", reasons);
        Assert.Equal("health check failed 2 times: http GET /missing returned 404; no restart left (1 of 1 used)", reasons[^1]);
        var health = task.GetProperty("health");
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("http GET /missing returned 404", health.GetProperty("lastFailure").GetString());
        // The unhealthy container is stopped (after its grace period), not left running beside a failed task.
        var containerId = task.GetProperty("containerId").GetString()!;
        await Poll.WaitForAsync(async () => (await Cluster.Engine.Client.Containers.InspectContainerAsync(containerId)).State?.Running, running => running == false, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task An_exec_check_that_fails_restarts_the_task_and_one_that_passes_keeps_it_running_healthy()
    {
        const string check = """
            "health": { "exec": ["sh", "-c", "test -f /tmp/ok"], "intervalSeconds": 1, "timeoutSeconds": 2, "failureThreshold": 2 }
            """;
        await Run("bad", $$"""
            "command": ["sleep", "3600"],
            "restart": { "policy": "on-failure", "maxRestarts": 1, "backoffSeconds": 1 },
            {{check}}
            """);
        await Run("good", $$"""
            "command": ["sh", "-c", "touch /tmp/ok && exec sleep 3600"],
            "restart": { "policy": "on-failure", "maxRestarts": 1, "backoffSeconds": 1 },
            {{check}}
            """);

        var bad = await WaitForTaskAsync("bad", t => t.GetProperty("state").GetString() == "Failed", TimeSpan.FromSeconds(90));
        var good = await WaitForTaskAsync("good", t => t.GetProperty("health").ValueKind == JsonValueKind.Object);

        Assert.Equal(1, bad.GetProperty("restarts").GetInt32());
        Assert.StartsWith(
            "health check failed 2 times: exec sh -c test -f /tmp/ok exited with code 1",
            bad.GetProperty("events").EnumerateArray().Last().GetProperty("reason").GetString(),
            StringComparison.Ordinal);
        Assert.Equal("Running", good.GetProperty("state").GetString());
        Assert.Equal("Healthy", good.GetProperty("health").GetProperty("status").GetString());
        Assert.Equal(0, good.GetProperty("restarts").GetInt32());
        var shown = await Cluster.OrchAsync("inspect", good.GetProperty("id").GetString()!);
        Assert.Contains("Healthy", shown.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exit_zero_under_on_failure_completes_and_logs_show_both_streams_after_the_exit()
    {
        await Run("batch", """
            "command": ["sh", "-c", "echo out-line; echo err-line >&2; sleep 3; echo second-line"],
            "restart": { "policy": "on-failure", "maxRestarts": 3, "backoffSeconds": 1 }
            """);

        // Followed while it runs: it ends by itself when the task does.
        var id = (await WaitForTaskAsync("batch", t => t.GetProperty("state").GetString() is "Running" or "Completed")).GetProperty("id").GetString()!;
        var followed = await Cluster.OrchAsync("logs", id, "-f");
        var task = await WaitForTaskAsync("batch", t => t.GetProperty("state").GetString() == "Completed");

        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains("out-line", followed.StdOut, StringComparison.Ordinal);
        Assert.Contains("second-line", followed.StdOut, StringComparison.Ordinal);
        Assert.Contains("err-line", followed.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, task.GetProperty("restarts").GetInt32());
        Assert.Equal(0, task.GetProperty("lastExitCode").GetInt32());
        var logs = await Cluster.OrchAsync("logs", id);
        Assert.Equal(0, logs.ExitCode);
        Assert.Equal("out-line\nsecond-line\n", logs.StdOut);
        Assert.Contains("err-line", logs.StdErr, StringComparison.Ordinal);
        var json = await Cluster.OrchAsync("logs", id, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var lines = json.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.GetProperty("stream").GetString() == "Stderr" && l.GetProperty("text").GetString()!.Contains("err-line", StringComparison.Ordinal));

        var missing = await Cluster.OrchAsync("logs", "batch-0-nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("batch-0-nosuch", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, (await Cluster.OrchAsync("events", "--job", "nosuch")).ExitCode);
    }

    private async Task Run(string name, string fields)
    {
        var path = Cluster.WriteJobFile(name, $$"""
            {
              "name": "{{name}}",
              "image": "{{MainEngine.TestImage}}",
              "resources": { "cpu": 0.1, "memoryMb": 32 },
              {{fields}}
            }
            """);
        var run = await Cluster.OrchAsync("run", "-f", path);
        Assert.True(run.ExitCode == 0, $"orch run {name} failed: {run}");
    }

    /// <summary>The job's only task as <c>orch inspect --json</c> shows it, once it satisfies <paramref name="done"/>.</summary>
    private async Task<JsonElement> WaitForTaskAsync(string job, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "";
        while (DateTimeOffset.UtcNow < deadline)
        {
            var ps = await Cluster.OrchAsync("ps", "--job", job, "--all", "--json");
            if (ps.ExitCode == 0 && JsonDocument.Parse(ps.StdOut).RootElement.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } row)
            {
                var inspect = await Cluster.OrchAsync("inspect", row.GetProperty("id").GetString()!, "--json");
                last = inspect.StdOut;
                if (inspect.ExitCode == 0 && JsonDocument.Parse(inspect.StdOut).RootElement is var task && done(task))
                {
                    return task.Clone();
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"task of job {job} did not reach the expected state; last seen:\n{last}\nsilo log:\n{Cluster.Silo.Log}");
    }

    private static List<string> Reasons(IEnumerable<JsonElement> events) => events.Select(e => e.GetProperty("reason").GetString()!).ToList();
}
