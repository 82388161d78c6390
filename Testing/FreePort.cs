using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>Free TCP ports on loopback, for silos and gateways started by tests.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
