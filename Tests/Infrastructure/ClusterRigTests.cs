using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Tests that need several machines share one rig of three Docker engines and run one at a time, since each test may
/// stop, restart or empty an engine. Most fault tests have their own rig (<see cref="FaultClusterRigTests"/>); the two
/// rigs' lanes are balanced by their tests' length, so a long fault test may run here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterRigTests : ICollectionFixture<ClusterRigFixture>
{
    public const string Name = "cluster rig";
}
