using System.Net;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// The silo's <c>Dashboard</c> section: where the orchestrator view, the Orleans dashboard, the HTTP API and
/// <c>/metrics</c> are served (docs/CONTRACT.md, Silo configuration). Checked by <see cref="SiloDashboardOptionsValidator"/>.
/// </summary>
public sealed class SiloDashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The HTTP port; 0 turns the pages and the API off.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The IP address they listen on; loopback when unset.</summary>
    public string? Address { get; set; }

    public bool Enabled => Port > 0;

    /// <summary>
    /// Where Kestrel listens, once validated: with the pages off, an unused loopback port with nothing mapped, since
    /// Kestrel runs all the same.
    /// </summary>
    public IPEndPoint Endpoint => Enabled
        ? new IPEndPoint(ListenAddress.Parse(Address) ?? throw new InvalidOperationException($"{Section}:{nameof(Address)} was not validated"), Port)
        : new IPEndPoint(IPAddress.Loopback, 0);
}
