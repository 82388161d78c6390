using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Tests that need several machines share one rig of three Docker engines and run one at a time, since each test may
/// stop, restart or empty an engine. The fault tests have their own rig (<see cref="FaultClusterRigTests"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterRigTests : ICollectionFixture<ClusterRigFixture>
{
    public const string Name = "cluster rig";
}
