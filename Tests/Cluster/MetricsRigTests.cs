using System.Globalization;
using System.Net;
using System.Text;
using Orchestrator.Tests.Integration;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// <c>GET /metrics</c> of real silos, as an operator's Prometheus sees it: two silo processes on simulated machines
/// and PostgreSQL, linted by <c>promtool</c> and scraped every second by a real Prometheus server with a read token.
/// The same silos export their spans over OTLP, as they do for an operator who sets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class MetricsRigTests : IAsyncLifetime
{
    private const string ReadToken = "metrics-read-0123456789";
    private const string OperateToken = "metrics-operate-0123456789";

    private readonly string _clusterId = SiloSettings.NewClusterId("test-metrics");
    private readonly List<SiloProcess> _silos = [];
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-metrics-").FullName;
    private readonly OtlpReceiver _otlp = OtlpReceiver.Start();
    private ThrowawayDatabase? _database;
    private LocalPrometheus? _prometheus;

    public async Task InitializeAsync() => _database = await SharedPostgres.CreateDatabaseAsync("metrics");

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        await _otlp.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_silo_and_sees_the_jobs_tasks_and_a_node_loss_and_each_silo_exports_its_spans()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var started = await Task.WhenAll(StartSiloAsync("metrics-a", ports[0]), StartSiloAsync("metrics-b", ports[1]));
        _silos.AddRange(started);
        using var reader = ApiSiloFixture.Client(ports[0], ReadToken);
        using var operate = ApiSiloFixture.Client(ports[0], OperateToken);
        using var anonymous = ApiSiloFixture.Client(ports[0], token: null);

        // The same door as the other read pages: a token, which a read token is enough for.
        using (var refused = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await Poll.WaitForAsync(() => reader.GetStringAsync(new Uri("metrics", UriKind.Relative)), m => m.Contains("orch_node_up{", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        _prometheus = await LocalPrometheus.StartAsync(ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}")), ReadToken);
        using (var submitted = await operate.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(
            """{ "name": "web", "image": "orch-test/busybox:latest", "replicas": 2, "resources": { "cpu": 0.25, "memoryMb": 32 } }""", Encoding.UTF8, "application/json")))
        {
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }

        // Any silo shows the whole cluster: each of the two reports both replicas Running.
        var running = await WaitForQueryAsync("""orch_tasks{job="web",state="Running"}""", r => r.Count == 2 && r.All(s => s.Value == 2));
        Assert.Equal(ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}")).Order(), running.Select(s => s.Labels["instance"]).Order());
        var placed = await WaitForQueryAsync("""sum(orch_placement_duration_seconds_count)""", r => r.Count == 1 && r[0].Value >= 2);
        Assert.Equal(2, placed[0].Value);

        // Counters count on the silo where it happened: a family shows on the page of a silo that has seen one.
        using var readerB = ApiSiloFixture.Client(ports[1], ReadToken);
        var pages = new[] { await reader.GetStringAsync(new Uri("metrics", UriKind.Relative)), await readerB.GetStringAsync(new Uri("metrics", UriKind.Relative)) };
        foreach (var page in pages)
        {
            await AssertPromtoolPassesAsync(page);
        }
        foreach (var family in new[] { "orch_tasks", "orch_node_up", "orch_node_cpu_capacity_cores", "orch_node_cpu_allocated_cores", "orch_node_memory_capacity_bytes", "orch_node_memory_allocated_bytes", "orch_placements_total", "orch_placement_duration_seconds", "orch_task_start_duration_seconds", "orch_storage_write_duration_seconds" })
        {
            Assert.Contains(pages, page => page.Contains($"# TYPE {family} ", StringComparison.Ordinal));
        }

        // The submission's spans reach the collector, and each silo exports its own (named by its node).
        var spans = await Poll.WaitForAsync(
            () => Task.FromResult(string.Join('\n', _otlp.Traces)),
            all => new[] { "submit job", "place task", "reserve", "start container", "metrics-a", "metrics-b" }.All(s => all.Contains(s, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60));
        Assert.Contains("service.instance.id", spans, StringComparison.Ordinal);

        Assert.Empty(await _prometheus.QueryAsync("orch_node_losses_total"));
        _silos[1].Kill();
        await WaitForQueryAsync("""sum(orch_node_losses_total)""", r => r.Count == 1 && r[0].Value >= 1, TimeSpan.FromSeconds(120));
        await WaitForQueryAsync("""orch_node_up{node="metrics-b"}""", r => r.Any(s => s.Value == 0));
    }

    /// <summary>
    /// The whole page parses (exit 1 would be a format error), and the orchestrator's own families pass every lint
    /// rule; Orleans' and the runtime's meters break some (milliseconds, no help text), which is theirs to fix.
    /// </summary>
    private async Task AssertPromtoolPassesAsync(string metrics)
    {
        var all = Path.Combine(_workDir, "all.prom");
        await File.WriteAllTextAsync(all, metrics);
        var whole = await HostCommand.RunAsync("sh", "-c", $"promtool check metrics < '{all}'");
        Assert.True(whole.ExitCode is 0 or 3, whole.ToString());
        Assert.DoesNotContain(whole.StdOut.Split('\n').Concat(whole.StdErr.Split('\n')), line => line.StartsWith("orch_", StringComparison.Ordinal));

        var ours = Path.Combine(_workDir, "orch.prom");
        await File.WriteAllLinesAsync(ours, metrics.Split('\n').Where(l => l.StartsWith("orch_", StringComparison.Ordinal) || l.StartsWith("# TYPE orch_", StringComparison.Ordinal) || l.StartsWith("# HELP orch_", StringComparison.Ordinal)));
        var own = await HostCommand.RunAsync("sh", "-c", $"promtool check metrics < '{ours}'");
        Assert.True(own.ExitCode == 0, own.ToString());
    }

    private async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> WaitForQueryAsync(
        string query, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> done, TimeSpan? timeout = null)
    {
        try
        {
            return await Poll.WaitForAsync(() => _prometheus!.QueryAsync(query), done, timeout ?? TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException e)
        {
            var orch = await _prometheus!.QueryAsync("""{__name__=~"orch_tasks|orch_node_up|orch_placements_total"}""");
            using var reader = ApiSiloFixture.Client(int.Parse(_silos[0].Settings["Dashboard:Port"], CultureInfo.InvariantCulture), ReadToken);
            var tasks = await reader.GetStringAsync(new Uri("v1/tasks?job=web", UriKind.Relative));
            var log = _silos[0].Log;
            throw new TimeoutException(
                $"{query}: {e.Message}\nprometheus has: {string.Join("; ", orch.Select(s => $"{string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}"))}"
                + $"\ntasks: {tasks}\ntargets: {await _prometheus.TargetsAsync()}\nlog of the first silo (end): {log[Math.Max(0, log.Length - 4000)..]}", e);
        }
    }

    private async Task<SiloProcess> StartSiloAsync(string node, int apiPort)
    {
        var settings = ApiSiloFixture.Settings(_clusterId, node, apiPort);
        settings["ConnectionStrings:Orleans"] = _database!.ConnectionString;
        settings["Auth:Tokens:scraper:Secret"] = ReadToken;
        settings["Auth:Tokens:scraper:Role"] = "read";
        settings["Auth:Tokens:ci:Secret"] = OperateToken;
        settings["Auth:Tokens:ci:Role"] = "operate";
        // The silos are seconds old when the test kills one: no restart grace, as in a steady cluster.
        settings["Orchestrator:NodeRestartGrace"] = "00:00:00";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.Endpoint;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        return await ApiSiloFixture.StartAsync(settings);
    }
}
