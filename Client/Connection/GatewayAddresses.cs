using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Client.Connection;

/// <summary>
/// Turns <c>--gateway HOST:PORT</c> values (or <c>ORCH_GATEWAYS</c>, comma-separated) into endpoints.
/// Host names are resolved here, since Orleans' static clustering takes IP endpoints only.
/// </summary>
internal static class GatewayAddresses
{
    public const string Variable = "ORCH_GATEWAYS";
    public const string Default = "127.0.0.1:30000";

    /// <summary>The gateways to use: the option's values, else the variable's, else <see cref="Default"/>. Throws <see cref="CommandFailedException"/> (exit 2) for a bad one.</summary>
    public static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(IReadOnlyList<string> fromOption, string? fromVariable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fromOption);
        var values = SplitAll(fromOption);
        if (values.Count == 0)
        {
            values = SplitAll([fromVariable ?? ""]);
        }
        if (values.Count == 0)
        {
            values = [Default];
        }
        var endpoints = new List<IPEndPoint>();
        foreach (var value in values)
        {
            var endpoint = await ResolveOneAsync(value, cancellationToken).ConfigureAwait(false);
            if (!endpoints.Contains(endpoint))
            {
                endpoints.Add(endpoint);
            }
        }
        return endpoints;
    }

    private static List<string> SplitAll(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static async Task<IPEndPoint> ResolveOneAsync(string value, CancellationToken cancellationToken)
    {
        if (!TrySplit(value, out var host, out var port))
        {
            throw CommandFailedException.BadInput($"invalid gateway '{value}': expected HOST:PORT with a port from 1 to 65535");
        }
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw CommandFailedException.BadInput($"invalid gateway '{value}': cannot resolve host '{host}' ({e.Message})");
        }
        // Prefer IPv4: silos advertise IPv4 addresses by default (Orleans:AdvertisedIP 127.0.0.1).
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw CommandFailedException.BadInput($"invalid gateway '{value}': host '{host}' has no address");
        return new IPEndPoint(chosen, port);
    }

    private static bool TrySplit(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        string portText;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }
            host = value[1..close];
            portText = value[(close + 2)..];
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon <= 0 || value.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }
            host = value[..colon];
            portText = value[(colon + 1)..];
        }
        return host.Length > 0
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535;
    }
}
