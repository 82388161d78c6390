using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// Service discovery as its users meet it, on one real silo (a simulated machine, so no engine): <c>orch endpoints</c>,
/// the API's list and its Server-Sent Events stream, and the silo's DNS server asked with ARSoft's own client.
/// </summary>
public sealed class DiscoveryTests : IAsyncLifetime
{
    private readonly string _clusterId = SiloSettings.NewClusterId("discovery");
    private readonly int _apiPort = FreePort.Next();
    private readonly int _dnsPort = FreePort.Next();
    private SiloProcess? _silo;

    public async Task InitializeAsync()
    {
        var settings = ApiSiloFixture.Settings(_clusterId, "disc-a", _apiPort);
        settings["Dns:Port"] = _dnsPort.ToString(CultureInfo.InvariantCulture);
        _silo = await ApiSiloFixture.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_jobs_replicas_are_listed_followed_and_answered_over_DNS_as_they_change()
    {
        using var http = ApiSiloFixture.Client(_apiPort, token: null);
        using var submitted = await http.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(Job, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var hostPorts = await WaitForEndpointsAsync(http, 2);

        // The API: one row per published port, at the node's address, which is the silo's advertised one (loopback here).
        var endpoints = await GetJsonAsync(http, "v1/jobs/web/endpoints");
        Assert.Equal(["task", "node", "address", "port", "containerPort", "healthy"], endpoints[0].EnumerateObject().Select(p => p.Name));
        Assert.All(endpoints.EnumerateArray(), e =>
        {
            Assert.Equal("disc-a", e.GetProperty("node").GetString());
            Assert.Equal("127.0.0.1", e.GetProperty("address").GetString());
            Assert.Equal(8080, e.GetProperty("containerPort").GetInt32());
            Assert.True(e.GetProperty("healthy").GetBoolean());
        });

        // orch prints the same rows, and a table naming each replica's address.
        var json = await Orch("endpoints", "web", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var printed = JsonDocument.Parse(json.StdOut).RootElement;
        Assert.True(JsonElement.DeepEquals(endpoints, printed), $"the API said {endpoints}, orch printed {printed}");
        var table = await Orch("endpoints", "web");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.All(hostPorts, port => Assert.Contains($"127.0.0.1:{port}", table.StdOut, StringComparison.Ordinal));
        var unknown = await Orch("endpoints", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no job named 'nope'", unknown.StdErr, StringComparison.Ordinal);

        // DNS: the A record of the node's address, an SRV record per replica, nothing for other names or zones.
        using var dns = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(_dnsPort), new TcpClientTransport(_dnsPort)], true, 5000);
        var a = await AskAsync(dns, "web.orch", RecordType.A);
        Assert.Equal(ReturnCode.NoError, a.ReturnCode);
        Assert.Equal(IPAddress.Loopback, Assert.Single(a.AnswerRecords.OfType<ARecord>()).Address);
        Assert.InRange(a.AnswerRecords[0].TimeToLive, 1, 10);
        Assert.Equal(hostPorts, await SrvPortsAsync(dns));
        Assert.Equal(ReturnCode.NxDomain, (await AskAsync(dns, "nope.orch", RecordType.A)).ReturnCode);
        Assert.Equal(ReturnCode.Refused, (await AskAsync(dns, "example.com", RecordType.A)).ReturnCode);

        // DNS follows a change within its cache's second.
        await ScaleAsync(http, 1);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        List<int> left;
        while ((left = await SrvPortsAsync(dns)).Count != 1)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the scaled-away replica stayed in the SRV answer");
            await Task.Delay(200);
        }
        Assert.Contains(left[0], hostPorts);

        // The stream: the whole set on connect, the set again once it changes, then a heartbeat while nothing changes.
        using var stream = await http.GetAsync(new Uri("v1/jobs/web/endpoints/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(left, Ports(await NextDataAsync(reader, timeout.Token)));
        await ScaleAsync(http, 2);
        var grown = Ports(await NextDataAsync(reader, timeout.Token));
        Assert.Equal(2, grown.Count);
        Assert.Contains(left[0], grown);
        Assert.Equal(": heartbeat", await NextLineAsync(reader, l => l.StartsWith(':'), timeout.Token));

        using var missing = await http.GetAsync(new Uri("v1/jobs/nope/endpoints", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private const string Job = """
        {
          "name": "web",
          "image": "orch-test/busybox:latest",
          "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
          "replicas": 2,
          "resources": { "cpu": 0.1, "memoryMb": 16 },
          "ports": [ { "container": 8080, "host": 0 } ]
        }
        """;

    private static async Task ScaleAsync(HttpClient http, int replicas)
    {
        using var scaled = await http.PostAsync(new Uri("v1/jobs/web/scale", UriKind.Relative), new StringContent($$"""{ "replicas": {{replicas}} }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
    }

    private Task<ProcessResult> Orch(params string[] args) => OrchProcess.RunAsync(args, _silo!.GatewayPort, _clusterId);

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The published ports, in order, once the job has <paramref name="count"/> endpoints.</summary>
    private static async Task<List<int>> WaitForEndpointsAsync(HttpClient http, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var ports = Ports(await GetJsonAsync(http, "v1/jobs/web/endpoints"));
            if (ports.Count == count)
            {
                return ports;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{count} endpoints of web not seen: {ports.Count}");
            await Task.Delay(300);
        }
    }

    private static List<int> Ports(JsonElement endpoints) => [.. endpoints.EnumerateArray().Select(e => e.GetProperty("port").GetInt32()).Order()];

    private static async Task<DnsMessage> AskAsync(DnsClient dns, string name, RecordType type) =>
        await dns.ResolveAsync(DomainName.Parse(name), type) ?? throw new InvalidOperationException($"no DNS answer about {name}");

    private static async Task<List<int>> SrvPortsAsync(DnsClient dns)
    {
        var srv = await AskAsync(dns, "_8080._tcp.web.orch", RecordType.Srv);
        Assert.Equal(ReturnCode.NoError, srv.ReturnCode);
        return [.. srv.AnswerRecords.OfType<SrvRecord>().Select(r => (int)r.Port).Order()];
    }

    private static async Task<JsonElement> NextDataAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = await NextLineAsync(reader, l => l.StartsWith("data: ", StringComparison.Ordinal), cancellationToken);
        return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
    }

    private static async Task<string> NextLineAsync(StreamReader reader, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (wanted(line))
            {
                return line;
            }
        }
        throw new InvalidOperationException("the stream ended");
    }
}
