using System.Net;

namespace Orchestrator.Grains.Nodes;

/// <summary>Where other machines reach the ports a node's containers publish, as the node reports it for service discovery.</summary>
public static class PublishedAddress
{
    /// <summary>
    /// <paramref name="portHost"/> (<c>Orchestrator:PortHost</c>), unless it is a wildcard (<c>0.0.0.0</c>, <c>::</c>):
    /// ports published on every interface are reached at the silo's own advertised address.
    /// </summary>
    public static string Of(string portHost, IPAddress siloAddress)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        return IPAddress.TryParse(portHost, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            ? siloAddress.ToString()
            : portHost;
    }
}
