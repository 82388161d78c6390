using System.Net;
using Orchestrator.Client.Connection;
using Orchestrator.Client.Output;
using Orchestrator.Security;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary>What a running command works with: where to write, whether to write JSON, and how to reach the cluster.</summary>
internal sealed class CommandContext(CliConsole console, bool json, IReadOnlyList<IPEndPoint> gateways, ClusterIdentity identity, TlsCredentials? tls, CancellationToken cancellationToken)
{
    private IAnsiConsole? ansi;

    public CliConsole Console { get; } = console;

    public bool Json { get; } = json;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Tables and live displays over stdout.</summary>
    public IAnsiConsole Ansi => ansi ??= Console.CreateAnsiConsole();

    public Task<ClusterConnection> ConnectAsync() => ClusterConnection.ConnectAsync(gateways, identity, tls, CancellationToken);

    public void WriteJson<T>(T value) => JsonOutput.Write(Console.Out, value);

    /// <summary>A plain line on stdout (never with <c>--json</c>).</summary>
    public void WriteLine(string line) => Console.Out.WriteLine(line);
}
