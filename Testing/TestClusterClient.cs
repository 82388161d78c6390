using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Orchestrator.Testing;

/// <summary>An Orleans client to a real silo process, for tests that must bypass the CLI's own checks.</summary>
internal sealed class TestClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClusterClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static Task<TestClusterClient> ConnectAsync(int gatewayPort, string clusterId) => ConnectAsync([gatewayPort], clusterId);

    /// <summary>Connects through any of <paramref name="gatewayPorts"/> on loopback, failing over between them.</summary>
    /// <param name="gatewayPorts">The silos' gateway ports.</param>
    /// <param name="clusterId">Their ClusterId, which is also their ServiceId.</param>
    /// <param name="responseTimeout">How long a call waits for its answer; Orleans' default (30 s) unless given.</param>
    public static async Task<TestClusterClient> ConnectAsync(IReadOnlyList<int> gatewayPorts, string clusterId, TimeSpan? responseTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            if (responseTimeout is { } timeout)
            {
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout);
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
