using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using Orchestrator.Grains.Nodes;
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
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}"[..17];
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-cluster-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private PostgresDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync("cluster");
        var silos = await Task.WhenAll(rig.Engines.Select(engine => SiloProcess.StartAsync(Settings(engine))));
        _silos.AddRange(silos);
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        foreach (var engine in rig.Engines)
        {
            if (!engine.IsRunning)
            {
                await engine.StartAsync();
            }
            await RemoveOurContainersAsync(engine);
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task A_machine_that_dies_has_its_replicas_moved_and_shows_down()
    {
        await RunJobAsync("web", replicas: 6);
        var before = await TasksAsync();
        Assert.All(rig.Engines, e => Assert.Equal(2, before.Count(t => t.Node == e.Name)));
        var victim = rig.Engines[2];
        var lost = before.Where(t => t.Node == victim.Name).Select(t => t.Id).ToHashSet();

        var clock = Stopwatch.StartNew();
        _silos[2].Kill();
        await victim.KillAllContainersAsync();
        var after = await WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 6 && t.All(x => x.State != "Running" || x.Node != victim.Name), TimeSpan.FromSeconds(90));
        clock.Stop();
        output.WriteLine($"failover: replicas of the killed machine Running elsewhere {clock.Elapsed.TotalSeconds:0.0} s after SIGKILL");

        Assert.DoesNotContain(after, t => t.State == "Running" && lost.Contains(t.Id));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var task in after.Where(t => t.State == "Running"))
        {
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://127.0.0.1:{task.HostPort}/")), StringComparison.Ordinal);
        }
        var nodes = JsonDocument.Parse((await OrchAsync("nodes", "--json")).StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal("Down", nodes.Single(n => n.GetProperty("name").GetString() == victim.Name).GetProperty("status").GetString());
        Assert.Equal(6, await RunningContainersAsync(rig.Engines[0], rig.Engines[1]));
    }

    [Fact]
    public async Task A_silo_killed_and_restarted_while_its_containers_run_leaves_no_duplicates()
    {
        await RunJobAsync("api", replicas: 3);
        var before = await TasksAsync();

        _silos[1].Kill();
        await _silos[1].RestartAsync();

        // Converged: every replica Running exactly once, whether it was adopted or moved and cleaned up.
        var after = await WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 3, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(8));
        var running = after.Where(t => t.State == "Running").ToList();
        Assert.Equal(3, running.Select(t => t.Slot).Distinct().Count());
        Assert.Equal(3, await RunningContainersAsync([.. rig.Engines]));
        var tasksByContainer = await ContainerTasksAsync();
        Assert.Equal(running.Select(t => t.Id).Order(), tasksByContainer.Order());
        output.WriteLine($"restart: {before.Count(b => running.Any(r => r.Id == b.Id))} of 3 replicas adopted in place");
    }

    [Fact]
    public async Task Drain_empties_a_node_keeps_the_replica_count_and_scale_follows()
    {
        await RunJobAsync("svc", replicas: 3);
        var drained = rig.Engines[0];

        Assert.Equal(0, (await OrchAsync("drain", drained.Name)).ExitCode);

        var tasks = await WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 3 && t.All(x => x.State != "Running" || x.Node != drained.Name));
        Assert.Equal(0, await RunningContainersAsync(drained));
        var nodes = JsonDocument.Parse((await OrchAsync("nodes", "--json")).StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal("Draining", nodes.Single(n => n.GetProperty("name").GetString() == drained.Name).GetProperty("status").GetString());

        Assert.Equal(0, (await OrchAsync("scale", "svc", "5")).ExitCode);
        tasks = await WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 5);
        Assert.DoesNotContain(tasks, t => t.State == "Running" && t.Node == drained.Name);

        Assert.Equal(0, (await OrchAsync("uncordon", drained.Name)).ExitCode);
        Assert.Equal(0, (await OrchAsync("scale", "svc", "2")).ExitCode);
        tasks = await WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 2);
        Assert.Equal(new[] { 0, 1 }, tasks.Where(t => t.State == "Running").Select(t => t.Slot).Order());
        await WaitForAsync(() => RunningContainersAsync([.. rig.Engines]), n => n == 2);
    }

    private Dictionary<string, string> Settings(RigEngine engine) => new()
    {
        ["ConnectionStrings:Orleans"] = _database!.ConnectionString,
        ["Orleans:ClusterId"] = _clusterId,
        ["Orleans:ServiceId"] = _clusterId,
        ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Dashboard:Port"] = "0",
        ["Orchestrator:NodeName"] = engine.Name,
        ["Orchestrator:DockerEndpoint"] = engine.Endpoint,
        ["Orchestrator:DefaultScheduler"] = "spread",
    };

    private async Task RunJobAsync(string name, int replicas)
    {
        var path = Path.Combine(_workDir, $"{name}.json");
        await File.WriteAllTextAsync(path, $$"""
            {
              "name": "{{name}}",
              "image": "{{DockerTestEngine.TestImage}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              "replicas": {{replicas}},
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "ports": [ { "container": 8080, "host": 0 } ]
            }
            """);
        var run = await OrchAsync("run", "-f", path, "--wait", "--timeout", "120");
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\n{string.Join("\n---\n", _silos.Select(s => s.Log))}");
    }

    private Task<ProcessResult> OrchAsync(params string[] args) =>
        OrchCli.RunAsync(args, _silos.Select(s => s.GatewayPort).ToArray(), _clusterId);

    private async Task<List<TaskRow>> TasksAsync()
    {
        var ps = await OrchAsync("ps", "--json");
        return ps.ExitCode != 0 ? [] : JsonDocument.Parse(ps.StdOut).RootElement.EnumerateArray().Select(t => new TaskRow(
            t.GetProperty("id").GetString()!,
            t.GetProperty("slot").GetInt32(),
            t.GetProperty("state").GetString()!,
            t.GetProperty("node").GetString(),
            t.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("host").GetInt32()).FirstOrDefault())).ToList();
    }

    private Dictionary<string, IDictionary<string, bool>> OurLabel() => new Dictionary<string, IDictionary<string, bool>>
    {
        ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={_clusterId}"] = true },
    };

    private async Task<int> RunningContainersAsync(params RigEngine[] engines)
    {
        var count = 0;
        foreach (var engine in engines)
        {
            count += (await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { Filters = OurLabel() })).Count;
        }
        return count;
    }

    private async Task<List<string>> ContainerTasksAsync()
    {
        var tasks = new List<string>();
        foreach (var engine in rig.Engines)
        {
            var running = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { Filters = OurLabel() });
            tasks.AddRange(running.Select(c => c.Labels[ContainerLabels.Task]));
        }
        return tasks;
    }

    private async Task RemoveOurContainersAsync(RigEngine engine)
    {
        var all = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = OurLabel() });
        foreach (var container in all)
        {
            await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = await probe();
        while (!done(last))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not reached; last seen: {JsonSerializer.Serialize(last)}");
            }
            await Task.Delay(250);
            last = await probe();
        }
        return last;
    }

    private sealed record TaskRow(string Id, int Slot, string State, string? Node, int HostPort);
}
