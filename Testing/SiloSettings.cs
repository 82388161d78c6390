using System.Globalization;
using System.Security.Cryptography;

namespace Orchestrator.Testing;

/// <summary>
/// The configuration keys (docs/CONTRACT.md, Silo configuration) a silo started by a test or benchmark gets; everything else is the silo's
/// own appsettings.json. Ports are free loopback ports; the dashboard is off unless a caller sets a port.
/// </summary>
internal static class SiloSettings
{
    /// <summary>A cluster id of one run alone, so its containers (label <c>orch.cluster</c>) are told apart from anyone else's.</summary>
    public static string NewClusterId(string prefix) => prefix + "-" + RandomNumberGenerator.GetHexString(8, lowercase: true);

    /// <summary>A silo of <paramref name="clusterId"/> for node <paramref name="nodeName"/>; without a connection string, in-memory state.</summary>
    public static Dictionary<string, string> For(string? connectionString, string clusterId, string nodeName)
    {
        var settings = new Dictionary<string, string>
        {
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Dashboard:Port"] = "0",
            ["Orchestrator:NodeName"] = nodeName,
        };
        if (connectionString is not null)
        {
            settings["ConnectionStrings:Orleans"] = connectionString;
        }
        return settings;
    }

    /// <summary>A silo on the Docker engine at <paramref name="dockerEndpoint"/>.</summary>
    public static Dictionary<string, string> ForEngine(string connectionString, string clusterId, string nodeName, string dockerEndpoint)
    {
        var settings = For(connectionString, clusterId, nodeName);
        settings["Orchestrator:DockerEndpoint"] = dockerEndpoint;
        return settings;
    }
}
