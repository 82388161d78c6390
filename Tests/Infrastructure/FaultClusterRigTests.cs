using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// The fault tests (killed silos and machines, frozen and restarted engines) have a rig of three engines of their own,
/// so they run beside the tests of <see cref="ClusterRigTests"/> instead of after them; within a rig, one test at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultClusterRigTests : ICollectionFixture<ClusterRigFixture>
{
    public const string Name = "cluster rig for faults";
}
