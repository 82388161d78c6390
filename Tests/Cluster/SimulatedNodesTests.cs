using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// <c>Orchestrator:SimulatedNodes</c>: one silo with the simulated runtime hosts several nodes (hollow nodes,
/// for exercising the control plane at scale). They are scheduled like any node, and all go Down with their silo.
/// </summary>
public sealed class SimulatedNodesTests : IAsyncLifetime
{
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}"[..17];
    private readonly List<SiloProcess> _silos = [];
    private ThrowawayDatabase? _database;

    public async Task InitializeAsync() => _database = await SharedPostgres.CreateDatabaseAsync("hollow");

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_hosts_its_simulated_nodes_which_take_work_and_go_down_with_it()
    {
        var hollow = await StartSiloAsync("hollow", simulatedNodes: 3);
        await StartSiloAsync("plain", simulatedNodes: 1);
        string[] hosted = ["hollow", "hollow#2", "hollow#3"];

        var nodes = await Poll.WaitForAsync(NodesAsync, n => n.Count(x => x.Status == "Ready") == 4, TimeSpan.FromSeconds(60));
        Assert.Equal(hosted.Append("plain").Order(StringComparer.Ordinal), nodes.Select(n => n.Name).Order(StringComparer.Ordinal));

        var job = Path.Combine(Path.GetTempPath(), $"{_clusterId}-spread.json");
        await File.WriteAllTextAsync(job, """{ "name": "spread", "image": "orch-test/busybox:latest", "replicas": 4, "scheduler": "spread", "resources": { "cpu": 0.5, "memoryMb": 64 } }""");
        try
        {
            var run = await OrchAsync("run", "-f", job, "--wait");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            File.Delete(job);
        }
        var placed = await Poll.WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == 4, TimeSpan.FromSeconds(60));
        Assert.Equal(nodes.Select(n => n.Name).Order(StringComparer.Ordinal), placed.Select(t => t.Node).Order(StringComparer.Ordinal));

        hollow.Kill();
        var after = await Poll.WaitForAsync(NodesAsync, n => n.Count == 4 && hosted.All(h => n.Single(x => x.Name == h).Status == "Down"), TimeSpan.FromSeconds(90));
        Assert.Equal("Ready", after.Single(n => n.Name == "plain").Status);
        // The replicas of the three lost nodes now run on the one left.
        var moved = await Poll.WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running" && x.Node == "plain") == 4, TimeSpan.FromSeconds(90));
        Assert.DoesNotContain(moved, t => t.State == "Running" && hosted.Contains(t.Node));
    }

    private async Task<SiloProcess> StartSiloAsync(string name, int simulatedNodes)
    {
        var settings = SiloSettings.For(_database!.ConnectionString, _clusterId, name);
        settings["Orchestrator:Runtime"] = "simulated";
        settings["Orchestrator:SimulatedNodes"] = simulatedNodes.ToString(CultureInfo.InvariantCulture);
        // The silos are seconds old when the test kills one: no restart grace, as in a steady cluster.
        settings["Orchestrator:NodeRestartGrace"] = "00:00:00";
        var silo = await SiloProcess.StartAsync(settings);
        _silos.Add(silo);
        return silo;
    }

    private Task<ProcessResult> OrchAsync(params string[] args) =>
        OrchProcess.RunAsync(args, _silos.Where(s => !s.HasExited).Select(s => s.GatewayPort).ToArray(), _clusterId);

    private async Task<List<(string Name, string Status)>> NodesAsync()
    {
        // A failed call (a gateway that just died) reads as nothing seen yet; the caller waits on.
        var result = await OrchAsync("nodes", "--json");
        return result.ExitCode != 0 ? [] : JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray()
            .Select(n => (n.GetProperty("name").GetString()!, n.GetProperty("status").GetString()!)).ToList();
    }

    private async Task<List<(string Node, string State)>> TasksAsync()
    {
        var result = await OrchAsync("ps", "--json");
        return result.ExitCode != 0 ? [] : JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray()
            .Select(t => (t.TryGetProperty("node", out var n) ? n.GetString() ?? "" : "", t.GetProperty("state").GetString()!)).ToList();
    }
}
