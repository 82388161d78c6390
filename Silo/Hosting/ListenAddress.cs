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
        return Parse(address) ?? throw new SiloConfigurationException(Refusal(key, address));
    }

    /// <summary>The IP address <paramref name="address"/> names: loopback when it is empty, null when it is no IP address.</summary>
    public static IPAddress? Parse(string? address) =>
        string.IsNullOrEmpty(address) ? IPAddress.Loopback
        : IPAddress.TryParse(address, out var parsed) ? parsed
        : null;

    /// <summary>The one line that refuses <paramref name="address"/> under <paramref name="key"/>.</summary>
    public static string Refusal(string key, string? address) =>
        $"{key} must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{address}')";
}
