using System.Text.Json;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// The scheduler on real engines: two silos, two engines of 2 CPUs each (this machine's), labelled zone=a
/// and zone=b.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class SchedulingRigTests(ClusterRigFixture rig) : IAsyncLifetime
{
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    private RigEngine NodeA => rig.Engines[0];

    private RigEngine NodeB => rig.Engines[1];

    public async Task InitializeAsync() =>
        _cluster = await RigCluster.StartAsync([NodeA, NodeB], engine => new Dictionary<string, string>
        {
            ["Orchestrator:NodeLabels:zone"] = engine == NodeA ? "a" : "b",
        });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Constraints_are_honoured_and_an_impossible_one_waits_with_its_reason()
    {
        await Cluster.RunJobAsync("zoned", replicas: 3, constraintsJson: """{ "zone": "b" }""");

        var tasks = await Cluster.TasksAsync("--job", "zoned");
        Assert.All(tasks, t => Assert.Equal(NodeB.Name, t.Node));
        Assert.Equal(3, (await Cluster.RunningContainerTasksAsync(NodeB)).Count);

        Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", Cluster.WriteJob("nowhere", 1, constraintsJson: """{ "zone": "c" }"""))).ExitCode);
        var pending = await Poll.WaitForAsync(() => Cluster.TasksAsync("--job", "nowhere"), t => t.SingleOrDefault()?.Reason?.Contains("constraint", StringComparison.Ordinal) == true);
        Assert.Equal("Pending", pending.Single().State);
        Assert.Contains("0/2 nodes available", pending.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spread_puts_four_replicas_two_and_two_and_binpack_four_and_none()
    {
        await Cluster.RunJobAsync("spread", replicas: 4, scheduler: "spread");
        var spread = await Cluster.TasksAsync("--job", "spread");
        Assert.Equal(2, spread.Count(t => t.Node == NodeA.Name));
        Assert.Equal(2, spread.Count(t => t.Node == NodeB.Name));
        Assert.Equal(0, (await Cluster.OrchAsync("stop", "spread")).ExitCode);

        await Cluster.RunJobAsync("packed", replicas: 4, scheduler: "binpack");
        var packed = await Cluster.TasksAsync("--job", "packed");
        Assert.Single(packed.Select(t => t.Node).Distinct());
    }

    [Fact]
    public async Task Twelve_jobs_of_half_a_node_submitted_at_once_end_four_running_and_eight_pending()
    {
        // Two clients, one per gateway, submitting concurrently: the node ledgers alone keep the count right.
        await using var first = await TestClusterClient.ConnectAsync(Cluster.Silos[0].GatewayPort, Cluster.ClusterId);
        await using var second = await TestClusterClient.ConnectAsync(Cluster.Silos[1].GatewayPort, Cluster.ClusterId);
        var specs = Enumerable.Range(0, 12).Select(i => new JobSpec
        {
            Name = $"half-{i}",
            Image = MainEngine.TestImage,
            Command = new[] { "sleep", "3600" },
            Resources = new ResourceSpec { Cpu = 1, MemoryMb = 16 },
        }).ToArray();

        await Task.WhenAll(specs.Select((spec, i) => (i % 2 == 0 ? first : second).Client.GetJob(spec.Name).SubmitAsync(spec)));

        var tasks = await Poll.WaitForAsync(() => Cluster.TasksAsync(), t => t.Count(x => x.State == "Running") == 4 && t.Count(x => x.State == "Pending" && x.Reason is not null) == 8, TimeSpan.FromSeconds(90));
        Assert.All(tasks.Where(t => t.State == "Pending"), t => Assert.Contains("insufficient cpu", t.Reason, StringComparison.Ordinal));
        var nodes = await first.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
        Assert.All(nodes, n => Assert.True(n.AllocatedCpu <= n.Cpus, $"{n.Name} allocated {n.AllocatedCpu} of {n.Cpus}"));
        Assert.Equal(4, (await Cluster.RunningContainerTasksAsync(NodeA, NodeB)).Count);
    }

    [Fact]
    public async Task Plan_reports_why_a_too_large_job_cannot_be_placed_and_changes_nothing()
    {
        var plan = await Cluster.OrchAsync("plan", "-f", Cluster.WriteJob("large", replicas: 3, cpu: 1.5), "--json");

        Assert.Equal(0, plan.ExitCode);
        var result = JsonDocument.Parse(plan.StdOut).RootElement;
        Assert.Equal(2, result.GetProperty("placements").GetArrayLength());
        var unplaced = result.GetProperty("unplaced").EnumerateArray().Single();
        Assert.Contains(unplaced.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("insufficient cpu: need 1.5, free 0.5", StringComparison.Ordinal));
        Assert.Equal(1, (await Cluster.OrchAsync("inspect", "large")).ExitCode);
        Assert.Empty(await Cluster.RunningContainerTasksAsync(NodeA, NodeB));
    }
}
