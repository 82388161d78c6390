using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;

namespace Orchestrator.Client.Connection;

/// <summary>
/// An Orleans client connected to the cluster through the given gateways. It fails over between them
/// on its own: every gateway is in the static list and none is preferred. Connecting gives up after
/// <see cref="ConnectBudget"/> with one line naming the gateways and the cause.
/// </summary>
internal sealed partial class ClusterConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    // Beyond the budget, so a gateway that never answers (no refusal, no reply) still ends the wait; generous,
    // because on a loaded machine a reachable cluster can take many seconds to hand over its manifest.
    private static readonly TimeSpan HardLimit = ConnectBudget + TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly IHost host;

    private ClusterConnection(IHost host)
    {
        this.host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<ClusterConnection> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, ClusterIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(identity);
        var failures = new List<Exception>();
        var host = Build(gateways, identity, failures);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(HardLimit);
        try
        {
            await host.StartAsync(limit.Token).ConfigureAwait(false);
            return new ClusterConnection(host);
        }
        catch when (cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw;
        }
        catch (Exception e)
        {
            host.Dispose();
            lock (failures)
            {
                failures.Add(e);
            }
            throw new CommandFailedException(
                ExitCodes.Failed,
                $"cannot reach a gateway ({string.Join(", ", gateways)}): {Cause(failures, identity)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The command is done; a gateway slow to acknowledge the goodbye must not hold the exit.
        }
        host.Dispose();
    }

    private static IHost Build(IReadOnlyList<IPEndPoint> gateways, ClusterIdentity identity, List<Exception> failures)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Failures are reported once, by us, as one line (CONTRACT §3). Orleans' own account is noise here: of each
        // connection attempt, and when a gateway dies under a command, of every manifest refresh and late response.
        builder.Logging.AddFilter("Orleans", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        var started = Stopwatch.StartNew();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering([.. gateways]);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = identity.ClusterId;
                o.ServiceId = identity.ServiceId;
            });
            client.Configure<GatewayOptions>(o => o.PreferredGatewayIndex = GatewayOptions.DEFAULT_PREFERED_GATEWAY_INDEX);
            client.UseConnectionRetryFilter(async (failure, token) =>
            {
                lock (failures)
                {
                    failures.Add(failure);
                }
                if (started.Elapsed + RetryDelay > ConnectBudget)
                {
                    return false;
                }
                await Task.Delay(RetryDelay, token).ConfigureAwait(false);
                return true;
            });
        });
        return builder.Build();
    }

    // Later attempts may only say that Orleans throttles reconnecting, so every attempt is searched
    // for the most telling cause: a socket error, then a gateway that hung up on the handshake.
    private static string Cause(List<Exception> failures, ClusterIdentity identity)
    {
        var chain = failures.SelectMany(Chain).ToList();
        foreach (var current in chain)
        {
            if (current is SocketException socket)
            {
                return Describe(socket.SocketErrorCode, socket.Message);
            }
            var named = SocketErrorName().Match(current.Message);
            if (named.Success && Enum.TryParse<SocketError>(named.Groups[1].Value, out var error))
            {
                return Describe(error, current.Message);
            }
        }
        if (chain.Any(c => c.Message.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase)))
        {
            return $"the connection was closed during the handshake (not an orch silo, or another cluster: this client joins cluster '{identity.ClusterId}', service '{identity.ServiceId}', see {ClusterIdentity.ClusterIdVariable} and {ClusterIdentity.ServiceIdVariable})";
        }
        if (chain.OfType<OperationCanceledException>().Any())
        {
            return $"no answer within {HardLimit.TotalSeconds:0} s";
        }
        return chain.Count == 0 ? "unknown error" : chain[^1].Message;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static string Describe(SocketError error, string fallback) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        _ => fallback,
    };

    [GeneratedRegex(@"Error: (\w+)")]
    private static partial Regex SocketErrorName();
}
