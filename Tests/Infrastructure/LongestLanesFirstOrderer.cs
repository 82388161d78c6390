using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Orchestrator.Tests.Infrastructure.LongestLanesFirstOrderer", "Orchestrator.Tests")]

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Starts the shared rigs' collections before every other one. Each of them runs its tests one at a time for many
/// minutes (the cluster rig and the fault rig about 12 each, the real engine about 9 of a run under load), while every
/// other collection takes a minute or two; xunit starts only as many collections as it has threads, in this order, so
/// a rig started last would run alone at the end and the whole run would last as long as the rigs in a row. Longest
/// first lets the short collections fill the threads around them.
/// </summary>
public sealed class LongestLanesFirstOrderer : ITestCollectionOrderer
{
    private static readonly string[] LongestLanes = [ClusterRigTests.Name, FaultClusterRigTests.Name, RealEngineTests.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => Rank(collection.DisplayName))
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);

    private static int Rank(string displayName)
    {
        var rank = Array.IndexOf(LongestLanes, displayName);
        return rank < 0 ? LongestLanes.Length : rank;
    }
}
