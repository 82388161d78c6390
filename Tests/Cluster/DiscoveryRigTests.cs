using System.Diagnostics;
using System.Globalization;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Service discovery across machines: replicas on three engines are found through a silo's DNS and reached at the
/// answered address and port, and a machine that dies leaves the answers. The test process is the DNS client: the
/// rig publishes on loopback, which a container on an engine's bridge cannot reach.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class DiscoveryRigTests(ClusterRigFixture rig, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Dictionary<string, int> _dnsPorts = rig.Engines.ToDictionary(e => e.Name, _ => FreePort.Next());
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync() =>
        // No restart grace: the silos are seconds old when the test kills one, and must act as a steady cluster's would.
        _cluster = await RigCluster.StartAsync(rig.Engines, engine => new Dictionary<string, string>
        {
            ["Orchestrator:DefaultScheduler"] = "spread",
            ["Orchestrator:NodeRestartGrace"] = "00:00:00",
            ["Dns:Port"] = _dnsPorts[engine.Name].ToString(CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Replicas_are_found_through_a_silos_DNS_and_a_dead_machines_leave_the_answers()
    {
        await Cluster.RunJobAsync("web", replicas: 3);
        var tasks = (await Cluster.TasksAsync()).Where(t => t.State == "Running").ToList();
        using var dns = Resolver(rig.Engines[0]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var found = await ReplicasAsync(dns);
        Assert.Equal(tasks.Select(t => t.Id).Order(), found.Keys.Order());
        Assert.True(tasks.Select(t => t.Node).Distinct().Count() >= 2, $"the replicas share a node: {string.Join(", ", tasks)}");
        foreach (var (task, endpoint) in found)
        {
            Assert.Equal(tasks.Single(t => t.Id == task).HostPort, endpoint.Port);
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://{endpoint}/")), StringComparison.Ordinal);
        }
        var a = await dns.ResolveAsync(DomainName.Parse("web.orch"), RecordType.A);
        Assert.Equal(IPAddress.Loopback, Assert.Single(a!.AnswerRecords.OfType<ARecord>()).Address);

        var victim = rig.Engines[2];
        var lost = tasks.Where(t => t.Node == victim.Name).Select(t => t.Id).ToHashSet();
        Assert.NotEmpty(lost);
        var clock = Stopwatch.StartNew();
        Cluster.Silos[2].Kill();
        await victim.KillAllContainersAsync();
        var after = await RigCluster.WaitForAsync(() => ReplicasAsync(dns), r => r.Count == 3 && !r.Keys.Any(lost.Contains), TimeSpan.FromSeconds(90));
        output.WriteLine($"the killed machine's replicas left the answers, and their replacements joined, {clock.Elapsed.TotalSeconds:0.0} s after SIGKILL");

        foreach (var endpoint in after.Values)
        {
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://{endpoint}/")), StringComparison.Ordinal);
        }
        using var other = Resolver(rig.Engines[1]);
        Assert.Equal(after.Keys.Order(), (await ReplicasAsync(other)).Keys.Order());
    }

    private DnsClient Resolver(RigEngine engine)
    {
        var port = _dnsPorts[engine.Name];
        return new DnsClient([IPAddress.Loopback], [new UdpClientTransport(port), new TcpClientTransport(port)], true, 5000);
    }

    /// <summary>
    /// Task id → the address and port the SRV answer gives for container port 8080 (the target's A record and the SRV
    /// port); none while the cluster cannot answer (SERVFAIL, or no answer, as a resolver may meet during a failover).
    /// </summary>
    private static async Task<Dictionary<string, IPEndPoint>> ReplicasAsync(DnsClient dns)
    {
        var answer = await dns.ResolveAsync(DomainName.Parse("_8080._tcp.web.orch"), RecordType.Srv);
        if (answer is not { ReturnCode: ReturnCode.NoError })
        {
            return [];
        }
        var addresses = answer.AdditionalRecords.OfType<ARecord>().ToDictionary(r => r.Name, r => r.Address);
        return answer.AnswerRecords.OfType<SrvRecord>().ToDictionary(
            r => "web-" + r.Target.Labels[0],
            r => new IPEndPoint(addresses[r.Target], r.Port));
    }
}
