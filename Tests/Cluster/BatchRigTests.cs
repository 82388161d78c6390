using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>Batch jobs on real engines: three silos, one per engine of the rig, driven through <c>orch</c>.</summary>
[Collection(ClusterRigTests.Name)]
public sealed class BatchRigTests(ClusterRigFixture rig) : IAsyncLifetime
{
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await RigCluster.StartAsync(rig.Engines);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_batch_task_failing_on_its_nodes_is_rescheduled_away_from_them_and_completes_on_another_and_run_wait_says_how_it_ended()
    {
        // The task succeeds only where ORCH_NODE, set by the node, names the good node; that node is drained at first,
        // so the first attempt lands on another, fails, is tried on the third, fails again, and waits for a node.
        var good = rig.Engines[2].Name;
        var flaky = WriteBatchJob("flaky", $"[ \\\"$ORCH_NODE\\\" = \\\"{good}\\\" ] || exit 3", reschedules: 2);
        var doomed = WriteBatchJob("doomed", "exit 4", reschedules: 0);
        Assert.Equal(0, (await Cluster.OrchAsync("drain", good, "--force")).ExitCode);

        var flakyWait = Cluster.OrchAsync("run", "-f", flaky, "--wait", "--timeout", "120");
        var doomedRun = await Cluster.OrchAsync("run", "-f", doomed, "--wait", "--timeout", "60");
        var pending = await Poll.WaitForAsync(
            () => Cluster.TasksAsync("--job", "flaky", "--all"),
            t => t.Any(x => x.State == "Pending" && x.Reason?.Contains("excluded", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(90));
        Assert.Equal(0, (await Cluster.OrchAsync("uncordon", good)).ExitCode);
        var flakyRun = await flakyWait;

        var tasks = await Cluster.TasksAsync("--job", "flaky", "--all");
        var job = JsonDocument.Parse((await Cluster.OrchAsync("inspect", "flaky", "--json")).StdOut).RootElement;
        var completed = tasks.Where(t => t.State == "Completed").ToList();
        var failedOn = tasks.Where(t => t.State == "Failed").Select(t => t.Node).Order().ToList();
        var events = (await Cluster.OrchAsync("events", "--job", "flaky")).StdOut;
        Assert.Multiple(
            () => Assert.True(flakyRun.ExitCode == 0, flakyRun.ToString()),
            () => Assert.Equal(1, doomedRun.ExitCode),
            () => Assert.Matches(@"^orch: task doomed-0-\w+ failed: exited with code 4", doomedRun.StdErr.Trim()),
            () => Assert.Single(doomedRun.StdErr.Trim().Split('\n')),
            () => Assert.Contains("no node fits", pending.Single(t => t.State == "Pending").Reason, StringComparison.Ordinal),
            () => Assert.Equal(good, Assert.Single(completed).Node),
            () => Assert.Equal(rig.Engines.Take(2).Select(e => e.Name).Order(), failedOn),
            () => Assert.Equal("Succeeded", job.GetProperty("batch").GetProperty("status").GetString()),
            () => Assert.Matches("rescheduled from [^ ]+ after 0 restarts", events));
    }

    [Fact]
    public async Task A_job_every_minute_runs_each_minute_once_and_the_silo_holding_its_clock_killed_between_runs_repeats_none()
    {
        var file = Cluster.WriteJobFile("tick", $$"""
            {
              "name": "tick",
              "type": "batch",
              "schedule": "* * * * *",
              "image": "{{MainEngine.TestImage}}",
              "command": ["sh", "-c", "echo tick"],
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "restart": { "policy": "never" },
              "stopGraceSeconds": 1
            }
            """);
        var submitted = await Cluster.OrchAsync("run", "-f", file);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Contains("scheduled", submitted.StdOut, StringComparison.Ordinal);

        // The first run, on the minute; its log line names the silo that holds the clock, which is then SIGKILLed
        // and started again at once, as a crashed machine's supervisor does.
        var first = await Poll.WaitForAsync(() => RunsAsync("tick"), r => r.Count >= 1, TimeSpan.FromSeconds(100));
        var clockSilo = Cluster.Silos.Single(s => s.Log.Contains($"started run {first[0]}", StringComparison.Ordinal));
        clockSilo.Kill();
        await clockSilo.RestartAsync();

        // The next minute runs on the clock's new silo (at the latest when the job's reminder fires there).
        var runs = await Poll.WaitForAsync(() => RunsAsync("tick"), r => r.Count >= 2, TimeSpan.FromSeconds(150));
        var outcomes = await Poll.WaitForAsync(() => OutcomesAsync(runs), o => o.All(x => x != "Running"), TimeSpan.FromSeconds(60));

        // Counted before the stop, which removes the runs' containers with them: one container per run, whatever ran twice.
        var containers = await Cluster.ContainersPerJobAsync([.. rig.Engines]);
        var stopped = await Cluster.OrchAsync("stop", "tick");
        var tickRuns = containers.Keys.Where(j => j.StartsWith("tick-", StringComparison.Ordinal)).ToList();
        Assert.Multiple(
            () => Assert.Equal(first[0], runs[^1]),
            () => Assert.All(outcomes, o => Assert.Equal("Succeeded", o)),
            () => Assert.True(tickRuns.Count >= 2, string.Join(", ", tickRuns)),
            () => Assert.All(tickRuns, r => Assert.True(containers[r] == 1, $"{r} ran {containers[r]} containers")),
            () => Assert.False(containers.ContainsKey("tick"), "the scheduled job ran a task of its own"),
            () => Assert.Equal(0, stopped.ExitCode));
    }

    /// <summary>The runs of scheduled job <paramref name="job"/>, newest first, as <c>orch inspect</c> shows them.</summary>
    private async Task<List<string>> RunsAsync(string job)
    {
        var inspect = await Cluster.OrchAsync("inspect", job, "--json");
        return inspect.ExitCode != 0
            ? []
            : [.. JsonDocument.Parse(inspect.StdOut).RootElement.GetProperty("schedule").GetProperty("runs").EnumerateArray().Select(r => r.GetString()!)];
    }

    /// <summary>Each run's batch outcome as <c>orch inspect</c> shows it (<c>Running</c> until it ended).</summary>
    private async Task<List<string>> OutcomesAsync(IEnumerable<string> runs)
    {
        var outcomes = new List<string>();
        foreach (var run in runs)
        {
            var inspect = await Cluster.OrchAsync("inspect", run, "--json");
            outcomes.Add(inspect.ExitCode != 0 ? "Running" : JsonDocument.Parse(inspect.StdOut).RootElement.GetProperty("batch").GetProperty("status").GetString()!);
        }
        return outcomes;
    }

    private string WriteBatchJob(string name, string script, int reschedules) =>
        Cluster.WriteJobFile(name, $$"""
            {
              "name": "{{name}}",
              "type": "batch",
              "image": "{{MainEngine.TestImage}}",
              "command": ["sh", "-c", "{{script}}"],
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "restart": { "policy": "on-failure", "maxRestarts": 0, "reschedules": {{reschedules}} },
              "stopGraceSeconds": 1
            }
            """);
}
