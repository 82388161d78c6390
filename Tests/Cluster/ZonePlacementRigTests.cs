using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Placement across failure domains on real engines: three silos, one per engine of the rig, labelled zone=a, b and c.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class ZonePlacementRigTests(ClusterRigFixture rig) : IAsyncLifetime
{
    private static readonly string[] Zones = ["a", "b", "c"];

    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync() =>
        _cluster = await RigCluster.StartAsync(rig.Engines, engine => new Dictionary<string, string>
        {
            ["Orchestrator:NodeLabels:zone"] = Zones[IndexOf(engine.Name)],
        });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Replicas_spread_by_zone_under_binpack_land_in_three_zones_and_in_with_distinctNodes_leaves_the_third_pending()
    {
        var zonesFile = Cluster.WriteJob("zones", replicas: 3, scheduler: "binpack", extraFields: "\"spreadBy\": \"zone\",");
        var zonesPlan = await Cluster.OrchAsync("plan", "-f", zonesFile, "--json");
        Assert.Equal(0, zonesPlan.ExitCode);
        var planned = JsonDocument.Parse(zonesPlan.StdOut).RootElement.GetProperty("placements").EnumerateArray().ToList();
        Assert.Equal(3, planned.Select(p => p.GetProperty("node").GetString()).Distinct().Count());
        Assert.All(planned, p => Assert.Contains(p.GetProperty("parts").EnumerateObject(), part => part.Name.StartsWith("replicas in zone=", StringComparison.Ordinal)));

        await Cluster.RunJobAsync("zones", replicas: 3, scheduler: "binpack", extraFields: "\"spreadBy\": \"zone\",");

        var spread = await Cluster.TasksAsync("--job", "zones");
        Assert.Equal(rig.Engines.Select(e => e.Name).Order(), spread.Select(t => t.Node!).Order());
        foreach (var engine in rig.Engines)
        {
            Assert.Single(await Cluster.RunningContainerTasksAsync(engine), id => id.StartsWith("zones-", StringComparison.Ordinal));
        }

        // Only zones a and b qualify, one replica per node: the plan says so, and the third replica waits with both reasons.
        var pairFile = Cluster.WriteJob("pair", replicas: 3, scheduler: "binpack", constraintsJson: """{ "zone": { "in": ["a", "b"] } }""", extraFields: "\"distinctNodes\": true,");
        var plan = await Cluster.OrchAsync("plan", "-f", pairFile, "--json");
        Assert.Equal(0, plan.ExitCode);
        var unplannable = JsonDocument.Parse(plan.StdOut).RootElement.GetProperty("unplaced").EnumerateArray().Single().GetProperty("reasons")[0].GetString();
        Assert.Equal("0/3 nodes available: 2 replica already on node, 1 constraint mismatch", unplannable);

        Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", pairFile)).ExitCode);
        var pair = await RigCluster.WaitForAsync(
            () => Cluster.TasksAsync("--job", "pair"),
            t => t.Count(x => x.State == "Running") == 2 && t.Any(x => x.State == "Pending" && x.Reason?.Contains("replica already on node", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(90));
        Assert.Equal([rig.Engines[0].Name, rig.Engines[1].Name], pair.Where(t => t.State == "Running").Select(t => t.Node!).Order());
        Assert.Contains("constraint mismatch", pair.Single(t => t.State == "Pending").Reason, StringComparison.Ordinal);
    }

    private int IndexOf(string engineName) => rig.Engines.Select(e => e.Name).ToList().IndexOf(engineName);
}
