using System.Globalization;

namespace Orchestrator.Bench.Scale;

/// <summary>One simulated machine of the scale scenario: its node name and its silo's two ports.</summary>
internal sealed record SimulatedNode(string Name, int SiloPort, int GatewayPort)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}:{SiloPort}:{GatewayPort}");

    public static SimulatedNode Parse(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 3
            ? new SimulatedNode(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new FormatException($"a node is NAME:SILOPORT:GATEWAYPORT, not '{text}'");
    }
}
