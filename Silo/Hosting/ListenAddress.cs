using System.Net;

namespace Orchestrator.Silo.Hosting;

/// <summary>The address a listener of the silo (the pages and API, the DNS server) binds to, from its configuration key.</summary>
internal static class ListenAddress
{
    /// <summary>The IP address under <paramref name="key"/>; loopback when it is absent.</summary>
    public static IPAddress Read(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var address = configuration[key];
        if (string.IsNullOrEmpty(address))
        {
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(address, out var parsed)
            ? parsed
            : throw new SiloConfigurationException($"{key} must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{address}')");
    }
}
