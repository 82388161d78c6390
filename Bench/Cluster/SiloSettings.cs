using System.Globalization;
using System.Security.Cryptography;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Cluster;

/// <summary>The configuration keys (CONTRACT §4) a benchmark silo is started with; everything else is the silo's own appsettings.json.</summary>
internal static class SiloSettings
{
    /// <summary>A cluster id of this run alone, so its containers (label <c>orch.cluster</c>) are told apart from anyone else's.</summary>
    public static string NewClusterId() => "bench-" + RandomNumberGenerator.GetHexString(8, lowercase: true);

    public static Dictionary<string, string> For(string connectionString, string clusterId, string nodeName, int siloPort, int gatewayPort) => new()
    {
        ["ConnectionStrings:Orleans"] = connectionString,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = clusterId,
        ["Orleans:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        ["Dashboard:Port"] = "0",
        ["Orchestrator:NodeName"] = nodeName,
    };

    /// <summary>Settings for a silo on a Docker engine, with free ports.</summary>
    public static Dictionary<string, string> ForEngine(string connectionString, string clusterId, string nodeName, string dockerEndpoint)
    {
        var settings = For(connectionString, clusterId, nodeName, FreePort.Next(), FreePort.Next());
        settings["Orchestrator:DockerEndpoint"] = dockerEndpoint;
        return settings;
    }
}
