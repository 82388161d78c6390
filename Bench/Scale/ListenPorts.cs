using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Orchestrator.Bench.Scale;

/// <summary>
/// Ports for many silos to listen on, chosen below the kernel's ephemeral range: a port picked from that range
/// (by binding port 0) may be handed to one of the thousands of outgoing connections many silos open before the
/// silo that was meant to get it binds it.
/// </summary>
internal static class ListenPorts
{
    private const int Lowest = 10_000;

    public static int[] Take(int count)
    {
        var ephemeralStart = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);
        var span = ephemeralStart - Lowest;
        if (span < count * 2)
        {
            throw new InvalidOperationException($"only {span} ports lie between {Lowest} and the ephemeral range; {count} are needed");
        }
        var ports = new List<int>(count);
        var start = RandomNumberGenerator.GetInt32(span);
        for (var i = 0; i < span && ports.Count < count; i++)
        {
            var port = Lowest + ((start + i) % span);
            if (IsFree(port))
            {
                ports.Add(port);
            }
        }
        return ports.Count == count ? [.. ports] : throw new InvalidOperationException($"found only {ports.Count} of {count} free ports below {ephemeralStart}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
