using System.Globalization;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Which silo a node lives on. A silo hosts the node named after it; with the simulated runtime it may host
/// more (<c>Orchestrator:SimulatedNodes</c>, like Kubernetes' hollow nodes), named <c>SILO#2</c>, <c>SILO#3</c>, …
/// so that a thousand-node control plane can be exercised on one machine.
/// </summary>
public static class NodeNames
{
    public const char Separator = '#';

    /// <summary>The silo (its <c>Orchestrator:NodeName</c>) that hosts <paramref name="node"/>.</summary>
    public static string SiloOf(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var at = node.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? node : node[..at];
    }

    /// <summary>The nodes a silo hosts: itself, then <c>SILO#2</c> … <c>SILO#count</c>.</summary>
    public static IReadOnlyList<string> HostedBy(string silo, int count) =>
        Enumerable.Range(1, Math.Max(1, count)).Select(i => i == 1 ? silo : string.Create(CultureInfo.InvariantCulture, $"{silo}{Separator}{i}")).ToArray();
}
