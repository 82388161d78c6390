using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Tests that start real silos on the shared Docker engine run one at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class RealEngineTests : ICollectionFixture<DockerTestEngine>
{
    public const string Name = "real engine";
}
