using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orchestrator.Security;
using Orleans.Configuration;

namespace Orchestrator.Client.Connection;

/// <summary>
/// An Orleans client connected to the cluster through the given gateways. It fails over between them
/// on its own: every gateway is in the static list and none is preferred. Connecting gives up after
/// <see cref="ConnectBudget"/> with one line naming the gateways and the cause: a
/// <see cref="CommandFailedException"/> when a gateway answered no (refused, or refused the handshake), a
/// <see cref="GatewayUnansweredException"/>, worth another try, when none answered in time.
/// </summary>
internal sealed partial class ClusterConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    // Beyond the budget, so a gateway that never answers (no refusal, no reply) still ends the wait; generous,
    // because on a loaded machine a reachable cluster can take many seconds to hand over its manifest.
    private static readonly TimeSpan HardLimit = ConnectBudget + TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <param name="gateways">The gateways to try, all equal.</param>
    /// <param name="identity">The cluster to join.</param>
    /// <param name="tls">TLS credentials, or null for plain TCP.</param>
    /// <param name="within">How long the caller can wait; the attempt never waits longer than <see cref="HardLimit"/>.</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public static async Task<ClusterConnection> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, ClusterIdentity identity, TlsCredentials? tls, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(identity);
        var failures = new List<Exception>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = within < HardLimit ? within : HardLimit;
        limit.CancelAfter(wait);
        var settled = false;
        // A refused gateway certificate is a setup error no retry mends, and Orleans would otherwise wait out the limit.
        void Refused(string reason)
        {
            lock (failures)
            {
                failures.Add(new GatewayCertificateRefusedException(reason));
                if (!settled)
                {
                    _ = limit.CancelAsync();
                }
            }
        }
        var host = Build(gateways, identity, tls, failures, Refused);
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
            (string Text, bool Answered) cause;
            lock (failures)
            {
                failures.Add(e);
                cause = Cause(failures, identity, tls, wait);
            }
            var message = $"cannot reach a gateway ({string.Join(", ", gateways)}): {cause.Text}";
            throw cause.Answered ? new CommandFailedException(ExitCodes.Failed, message) : new GatewayUnansweredException(message);
        }
        finally
        {
            lock (failures)
            {
                settled = true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The command is done; a gateway slow to acknowledge the goodbye must not hold the exit.
        }
        _host.Dispose();
    }

    private static IHost Build(IReadOnlyList<IPEndPoint> gateways, ClusterIdentity identity, TlsCredentials? tls, List<Exception> failures, Action<string> refused)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Failures are reported once, by us, as one line (docs/CONTRACT.md, The orch command line). Orleans' own account is noise here: of each
        // connection attempt, and when a gateway dies under a command, of every manifest refresh and late response.
        builder.Logging.AddFilter("Orleans", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.None);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        var started = Stopwatch.StartNew();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering([.. gateways]);
            // Carries a caller's trace into the cluster; without a listener here it costs nothing.
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = identity.ClusterId;
                o.ServiceId = identity.ServiceId;
            });
            client.Configure<GatewayOptions>(o => o.PreferredGatewayIndex = GatewayOptions.DEFAULT_PREFERED_GATEWAY_INDEX);
            if (tls is not null)
            {
                var options = ClusterTlsOptions.Client(tls, refused);
                client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(connection => connection.UseClientTls(options)));
            }
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
    // for the most telling cause: a refused TLS certificate, a socket error, then a gateway that hung
    // up on the handshake. Answered: a gateway said no, which trying again will not change; silence (no
    // answer in time, on a loaded machine or while a silo dies) may well end in a moment.
    private static (string Text, bool Answered) Cause(List<Exception> failures, ClusterIdentity identity, TlsCredentials? tls, TimeSpan wait)
    {
        var chain = failures.SelectMany(Chain).ToList();
        if (chain.OfType<GatewayCertificateRefusedException>().FirstOrDefault() is { } refused)
        {
            return ($"the gateway's TLS {refused.Message} (the CA in --tls-ca or {ClientTls.CaVariable} must be the one that signs the silos' certificates)", true);
        }
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
        var cluster = $"this client joins cluster '{identity.ClusterId}', service '{identity.ServiceId}', see {ClusterIdentity.ClusterIdVariable} and {ClusterIdentity.ServiceIdVariable}";
        var hungUp = chain.Any(c => c.Message.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase));
        if (tls is null && hungUp)
        {
            return ($"the connection was closed during the handshake (the gateway may require TLS: give --tls-cert, --tls-key and --tls-ca, or {ClientTls.CertificateVariable}, {ClientTls.KeyVariable} and {ClientTls.CaVariable}; or it is not an orch silo, or another cluster: {cluster})", true);
        }
        // Orleans' TLS middleware drops a failed handshake without saying why, and a gateway that refuses
        // this client's certificate may do so during the handshake or just after it, by hanging up.
        if (tls is not null && (hungUp || chain.OfType<ConnectionAbortedException>().Any()))
        {
            return ($"the TLS handshake failed or the connection was closed during it (the gateway may have refused this client's certificate, which must be signed by the silos' CA, or may not use TLS; or it is not an orch silo, or another cluster: {cluster})", true);
        }
        if (chain.OfType<OperationCanceledException>().Any())
        {
            return (string.Create(CultureInfo.InvariantCulture, $"no answer within {wait.TotalSeconds:0} s"), false);
        }
        return (chain.Count == 0 ? "unknown error" : chain[^1].Message, false);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static (string Text, bool Answered) Describe(SocketError error, string fallback) => error switch
    {
        SocketError.ConnectionRefused => ("connection refused", true),
        SocketError.TimedOut => ("timed out", false),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => ("unreachable", true),
        _ => (fallback, true),
    };

    [GeneratedRegex(@"Error: (\w+)")]
    private static partial Regex SocketErrorName();
}
