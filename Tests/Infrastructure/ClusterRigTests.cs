using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Tests that need several machines share one rig of three Docker engines and run one at a time: the
/// machine has two cores, and each test may stop, restart or empty an engine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterRigTests : ICollectionFixture<ClusterRigFixture>
{
    public const string Name = "cluster rig";
}
