using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A test class each of whose tests has a <see cref="SingleNodeCluster"/> of its own: its database created before the
/// test, everything removed after it, pass or fail. Each test starts the silo with the settings it needs.
/// </summary>
public abstract class SingleNodeClusterTests : IAsyncLifetime
{
    private SingleNodeCluster? _cluster;

    internal SingleNodeCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is made in InitializeAsync");

    public virtual async Task InitializeAsync() => _cluster = await SingleNodeCluster.CreateAsync();

    public virtual async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
