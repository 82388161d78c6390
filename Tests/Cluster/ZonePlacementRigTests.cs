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
        // Binpack alone would put all three on one node.
        var zonesFile = Cluster.WriteJob("zones", replicas: 3, scheduler: "binpack", extraFields: "\"spreadBy\": \"zone\",");
        // Only zones a and b qualify, one replica per node: the third fits nowhere.
        var pairFile = Cluster.WriteJob("pair", replicas: 3, scheduler: "binpack", constraintsJson: """{ "zone": { "in": ["a", "b"] } }""", extraFields: "\"distinctNodes\": true,");
        var plan = await Cluster.OrchAsync("plan", "-f", pairFile, "--json");
        Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", zonesFile)).ExitCode);
        Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", pairFile)).ExitCode);

        // Settled: every replica of zones runs, and pair has two running and a third either waiting with its reason or
        // (were distinctNodes broken) running too. Then every check is made, so one run shows each that fails.
        var tasks = await Poll.WaitForAsync(
            () => Cluster.TasksAsync(),
            t => t.Count(x => x.Job == "zones" && x.State == "Running") == 3
                && t.Count(x => x.Job == "pair" && x.State == "Running") is var running
                && (running == 3 || (running == 2 && t.Any(x => x.Job == "pair" && x.State == "Pending" && x.Reason is not null))),
            TimeSpan.FromSeconds(120));
        var engines = rig.Engines.Select(e => e.Name).Order().ToList();
        var zonesPerEngine = new List<int>();
        foreach (var engine in rig.Engines)
        {
            zonesPerEngine.Add((await Cluster.RunningContainerTasksAsync(engine)).Count(id => id.StartsWith("zones-", StringComparison.Ordinal)));
        }
        var pair = tasks.Where(t => t.Job == "pair").ToList();
        var unplanned = plan.ExitCode == 0
            ? JsonDocument.Parse(plan.StdOut).RootElement.GetProperty("unplaced").EnumerateArray().Select(u => u.GetProperty("reasons")[0].GetString()).ToList()
            : [plan.ToString()];

        Assert.Multiple(
            () => Assert.Equal(engines, tasks.Where(t => t.Job == "zones").Select(t => t.Node!).Order()),
            () => Assert.Equal([1, 1, 1], zonesPerEngine),
            () => Assert.Equal(["0/3 nodes available: 2 replica already on node, 1 constraint mismatch"], unplanned),
            () => Assert.Equal(engines.Take(2), pair.Where(t => t.State == "Running").Select(t => t.Node!).Order()),
            () => Assert.Matches("replica already on node.*constraint mismatch|constraint mismatch.*replica already on node", pair.Single(t => t.State == "Pending").Reason));
    }

    private int IndexOf(string engineName) => rig.Engines.Select(e => e.Name).ToList().IndexOf(engineName);
}
