using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>A silo configured with no token: its log says the API is loopback only, and a caller there needs no token and is an admin.</summary>
public sealed class ApiWithoutTokensTests : IAsyncLifetime
{
    private readonly int _apiPort = FreePort.Next();
    private SiloProcess? _silo;

    public async Task InitializeAsync() =>
        _silo = await ApiSiloFixture.StartAsync(ApiSiloFixture.Settings(SiloSettings.NewClusterId("api"), "api-open", _apiPort));

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_caller_on_loopback_needs_no_token_and_sees_env_values_and_the_log_says_so()
    {
        using var http = ApiSiloFixture.Client(_apiPort, token: null);
        using var submit = await http.PostAsync(
            new Uri("v1/jobs", UriKind.Relative),
            new StringContent("""{ "name": "open", "image": "orch-test/busybox:latest", "env": { "TOKEN": "abc" } }""", System.Text.Encoding.UTF8, "application/json"));
        var body = await submit.Content.ReadAsStringAsync();
        Assert.True(submit.StatusCode == HttpStatusCode.OK, body);

        var job = JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/jobs/open", UriKind.Relative))).RootElement;

        Assert.Equal("abc", job.GetProperty("spec").GetProperty("env").GetProperty("TOKEN").GetString());
        Assert.Contains("No API token is configured (Auth:Tokens): the HTTP API at /v1 answers only callers on loopback", _silo!.Log, StringComparison.Ordinal);
        Assert.Contains($"Now listening on: http://127.0.0.1:{_apiPort}", _silo.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_configuration_the_port_is_not_reachable_on_the_machines_other_addresses()
    {
        var other = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        using var http = ApiSiloFixture.Client(_apiPort, token: null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("v1/nodes", UriKind.Relative))).StatusCode);

        // The machine's own address: the connection never leaves it, and nothing may be listening there.
        using var socket = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(other, _apiPort, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
