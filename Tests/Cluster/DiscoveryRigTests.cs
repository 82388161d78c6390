using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Service discovery across machines: replicas on three engines are found through a silo's DNS and reached at the
/// answered address and port, by a job's container on one engine as by the test process, and a machine that dies
/// leaves the answers. Each silo publishes ports and answers DNS on its engine's bridge address, which stands for
/// the machine's LAN address: the host and every engine's containers reach it, as they would not reach loopback.
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
            ["Orchestrator:PortHost"] = engine.Gateway.ToString(),
            ["Dns:Address"] = engine.Gateway.ToString(),
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
            var placed = tasks.Single(t => t.Id == task);
            Assert.Equal(new IPEndPoint(GatewayOf(placed.Node), placed.HostPort), endpoint);
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://{endpoint}/")), StringComparison.Ordinal);
        }
        var a = await dns.ResolveAsync(DomainName.Parse("web.orch"), RecordType.A);
        Assert.Equal(
            Sorted(tasks.Select(t => GatewayOf(t.Node)).Distinct()),
            Sorted(a!.AnswerRecords.OfType<ARecord>().Select(r => r.Address)));
        Assert.Equal(Sorted(found.Values), await ProbeAsync("probe", rig.Engines[0]));

        var victim = rig.Engines[2];
        var lost = tasks.Where(t => t.Node == victim.Name).Select(t => t.Id).ToHashSet();
        Assert.NotEmpty(lost);
        var clock = Stopwatch.StartNew();
        Cluster.Silos[2].Kill();
        await victim.KillAllContainersAsync();
        var after = await Poll.WaitForAsync(() => ReplicasAsync(dns), r => r.Count == 3 && !r.Keys.Any(lost.Contains), TimeSpan.FromSeconds(90));
        output.WriteLine($"the killed machine's replicas left the answers, and their replacements joined, {clock.Elapsed.TotalSeconds:0.0} s after SIGKILL");

        foreach (var endpoint in after.Values)
        {
            Assert.Contains("hello", await http.GetStringAsync(new Uri($"http://{endpoint}/")), StringComparison.Ordinal);
        }
        using var other = Resolver(rig.Engines[1]);
        Assert.Equal(after.Keys.Order(), (await ReplicasAsync(other)).Keys.Order());
        var reached = await ProbeAsync("probe-after", rig.Engines[1]);
        Assert.Equal(Sorted(after.Values), reached);
        Assert.DoesNotContain(victim.Gateway, reached.Select(e => e.Address));
    }

    /// <summary>
    /// Runs batch job <paramref name="name"/>, whose container asks <paramref name="engine"/>'s silo for the SRV
    /// records of web, the A record of each target, and fetches each replica's page; returns the endpoints it reached,
    /// read from its log. Any lookup or fetch that fails fails the job, and so the <c>orch run --wait</c>.
    /// </summary>
    private async Task<List<IPEndPoint>> ProbeAsync(string name, RigEngine engine)
    {
        const string Script = """
            set -e
            busybox nslookup -type=srv _8080._tcp.web.orch $DNS | busybox awk '/service =/ {print $(NF-1), $NF}' > /tmp/srv
            test -s /tmp/srv
            while read port target; do
              addr=$(busybox nslookup -type=a $target $DNS | busybox awk '/^Address/ {a = $NF} END {print a}')
              wget -q -O - http://$addr:$port/ | busybox grep -q hello
              echo reached $addr:$port
            done < /tmp/srv
            """;
        var job = new Dictionary<string, object>
        {
            ["name"] = name,
            ["type"] = "batch",
            ["image"] = MainEngine.TestImage,
            ["command"] = new[] { "sh", "-c", Script },
            ["env"] = new Dictionary<string, string> { ["DNS"] = $"{engine.Gateway}:{_dnsPorts[engine.Name]}" },
            ["resources"] = new Dictionary<string, object> { ["cpu"] = 0.1, ["memoryMb"] = 16 },
            ["restart"] = new Dictionary<string, object> { ["policy"] = "never" },
        };
        var run = await Cluster.OrchAsync("run", "-f", Cluster.WriteJobFile(name, JsonSerializer.Serialize(job)), "--wait", "--timeout", "90");
        // A failed probe is tried on other nodes (reschedules), so its outcome is read from the run, not from its tasks.
        Assert.True(run.ExitCode == 0, $"the probe failed: {run}");
        // Polled, as a read may meet a silo that just died and come back empty.
        var task = (await Poll.WaitForAsync(() => Cluster.TasksAsync("--job", name, "--all"), t => t.Count == 1)).Single();
        var logs = await Cluster.OrchAsync("logs", task.Id);
        Assert.True(logs.ExitCode == 0, $"orch logs failed: {logs}");
        output.WriteLine($"{name} on {task.Node}, asking {engine.Name}'s DNS:\n{logs.StdOut}");
        return Sorted(logs.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("reached ", StringComparison.Ordinal))
            .Select(l => IPEndPoint.Parse(l["reached ".Length..])));
    }

    /// <summary>Addresses and endpoints have no order of their own; their text gives one to compare lists by.</summary>
    private static List<T> Sorted<T>(IEnumerable<T> items) where T : notnull =>
        [.. items.OrderBy(i => i.ToString(), StringComparer.Ordinal)];

    private IPAddress GatewayOf(string? node) => rig.Engines.Single(e => e.Name == node).Gateway;

    private DnsClient Resolver(RigEngine engine)
    {
        var port = _dnsPorts[engine.Name];
        return new DnsClient([engine.Gateway], [new UdpClientTransport(port), new TcpClientTransport(port)], true, 5000);
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
