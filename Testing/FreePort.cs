using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>Free TCP ports on loopback, for silos and gateways started by tests.</summary>
/// <remarks>
/// Drawn below Linux's ephemeral range (32768–60999 by default), not from it: a silo that is killed and started
/// again takes the same ports, and while it is down the kernel hands ephemeral ports to any outgoing connection
/// (to PostgreSQL, to an engine), which then holds the silo's port ("address already in use"). Ports handed out
/// once are not handed out again by this process.
/// </remarks>
internal static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"no free TCP port on loopback between {First} and {Last}");
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
