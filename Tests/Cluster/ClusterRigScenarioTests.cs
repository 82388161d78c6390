using System.Diagnostics;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Three real silo processes, each with its own Docker engine (one simulated machine each), on one
/// PostgreSQL, driven through the real <c>orch</c> with all three gateways. Membership runs with the
/// production settings of Silo/appsettings.json, so the failover time measured here is the one users get.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class ClusterRigScenarioTests(ClusterRigFixture rig, ITestOutputHelper output) : IAsyncLifetime
{
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync() =>
        // No restart grace: the silos are seconds old when a test kills one, and must act as a steady cluster's would.
        _cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string>
        {
            ["Orchestrator:DefaultScheduler"] = "spread",
            ["Orchestrator:NodeRestartGrace"] = "00:00:00",
        });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_machine_that_dies_has_its_replicas_moved_and_shows_down()
    {
        await Cluster.RunJobAsync("web", replicas: 6);
        var before = await Cluster.TasksAsync();
        Assert.All(rig.Engines, e => Assert.Equal(2, before.Count(t => t.Node == e.Name)));
        var victim = rig.Engines[2];
        var lost = before.Where(t => t.Node == victim.Name).Select(t => t.Id).ToHashSet();

        var clock = Stopwatch.StartNew();
        Cluster.Silos[2].Kill();
        await victim.KillAllContainersAsync();
        var after = await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 6 && t.All(x => x.State != "Running" || x.Node != victim.Name), TimeSpan.FromSeconds(90));
        clock.Stop();
        output.WriteLine($"failover: replicas of the killed machine Running elsewhere {clock.Elapsed.TotalSeconds:0.0} s after SIGKILL");

        Assert.DoesNotContain(after, t => t.State == "Running" && lost.Contains(t.Id));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var task in after.Where(t => t.State == "Running"))
        {
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://127.0.0.1:{task.HostPort}/")), StringComparison.Ordinal);
        }
        var nodes = await Cluster.NodesAsync();
        Assert.Equal("Down", nodes.Single(n => n.GetProperty("name").GetString() == victim.Name).GetProperty("status").GetString());
        Assert.Equal(6, (await Cluster.RunningContainerTasksAsync(rig.Engines[0], rig.Engines[1])).Count);
    }

    /// <summary>
    /// A machine dies the way machines do: its containers a moment before its silo. A replica whose container
    /// exited is restarted against a node that is going away, and must still end up replaced elsewhere.
    /// </summary>
    [Fact]
    public async Task A_machine_whose_containers_die_before_its_silo_has_every_replica_replaced()
    {
        await Cluster.RunJobAsync("web", replicas: 6);
        var victim = rig.Engines[2];

        await victim.KillAllContainersAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Cluster.Silos[2].Kill();

        var after = await Poll.WaitForAsync(
            () => Cluster.TasksAsync(),
            t => t.Count(x => x.State == "Running") == 6 && t.All(x => x.State != "Running" || x.Node != victim.Name),
            TimeSpan.FromSeconds(120));
        var running = after.Where(t => t.State == "Running").ToList();
        Assert.Equal(6, running.Select(t => t.Slot).Distinct().Count());
        Assert.Equal(running.Select(t => t.Id).Order(), (await Cluster.RunningContainerTasksAsync(rig.Engines[0], rig.Engines[1])).Order());
    }

    /// <summary>
    /// The engine's own reason for refusing a container reaches the task across silos, whichever silo the task lives on.
    /// The image is never pulled here: a pull that fails waits and retries (Images and registries, README) instead.
    /// </summary>
    [Fact]
    public async Task A_container_the_engine_refuses_shows_the_engine_reason_on_every_node()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orch-missing-image-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "name": "ghost",
              "image": "orch-test/no-such-image:latest",
              "imagePull": "never",
              "command": ["sleep", "3600"],
              "replicas": 3,
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "restart": { "policy": "never" }
            }
            """);
        try
        {
            Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", file)).ExitCode);
            var ended = await Poll.WaitForAsync(() => Cluster.TasksAsync("--all"), t => t.Count(x => x.State == "Failed") == 3, TimeSpan.FromSeconds(90));
            Assert.Equal(3, ended.Select(t => t.Node).Distinct().Count());
            Assert.All(ended, t =>
            {
                Assert.Contains("orch-test/no-such-image:latest", t.Reason, StringComparison.Ordinal);
                Assert.DoesNotContain("codec", t.Reason, StringComparison.OrdinalIgnoreCase);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_silo_killed_and_restarted_while_its_containers_run_leaves_no_duplicates()
    {
        await Cluster.RunJobAsync("api", replicas: 3);
        var before = await Cluster.TasksAsync();

        Cluster.Silos[1].Kill();
        await Cluster.Silos[1].RestartAsync();

        // Converged: every replica Running exactly once, whether it was adopted or moved and cleaned up.
        var after = await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 3, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(8));
        var running = after.Where(t => t.State == "Running").ToList();
        Assert.Equal(3, running.Select(t => t.Slot).Distinct().Count());
        var containers = await Cluster.RunningContainerTasksAsync([.. rig.Engines]);
        Assert.Equal(running.Select(t => t.Id).Order(), containers.Order());
        output.WriteLine($"restart: {before.Count(b => running.Any(r => r.Id == b.Id))} of 3 replicas adopted in place");
    }

    [Fact]
    public async Task Drain_empties_a_node_keeps_the_replica_count_and_scale_follows()
    {
        await Cluster.RunJobAsync("svc", replicas: 3);
        var drained = rig.Engines[0];

        Assert.Equal(0, (await Cluster.OrchAsync("drain", drained.Name)).ExitCode);

        await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 3 && t.All(x => x.State != "Running" || x.Node != drained.Name));
        Assert.Empty(await Cluster.RunningContainerTasksAsync(drained));
        var nodes = await Cluster.NodesAsync();
        Assert.Equal("Draining", nodes.Single(n => n.GetProperty("name").GetString() == drained.Name).GetProperty("status").GetString());

        Assert.Equal(0, (await Cluster.OrchAsync("scale", "svc", "5")).ExitCode);
        var tasks = await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 5);
        Assert.DoesNotContain(tasks, t => t.State == "Running" && t.Node == drained.Name);

        Assert.Equal(0, (await Cluster.OrchAsync("uncordon", drained.Name)).ExitCode);
        Assert.Equal(0, (await Cluster.OrchAsync("scale", "svc", "2")).ExitCode);
        tasks = await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 2);
        Assert.Equal(new[] { 0, 1 }, tasks.Where(t => t.State == "Running").Select(t => t.Slot).Order());
        await Poll.WaitForAsync(() => Cluster.RunningContainerTasksAsync([.. rig.Engines]), c => c.Count == 2);
    }
}
