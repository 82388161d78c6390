using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// What the registry pull tests share, started once: two real registries on loopback ports (one open, one that lets
/// in only alice, with a password of this run) and a <see cref="SingleNodeCluster"/> whose silo reads registry
/// credentials from <see cref="AuthFile"/>. Disposing it stops and removes all of it, the containers of its cluster
/// and the images pushed to the registries included, also after a failure.
/// </summary>
public sealed class RegistryPullFixture : IAsyncLifetime
{
    /// <summary>The silo on the main engine, its database and its pages.</summary>
    internal SingleNodeCluster Cluster { get; private set; } = null!;

    /// <summary>The silo's <c>Orchestrator:RegistryAuthFile</c>; tests write it as they need, since the silo reads it at every pull.</summary>
    public string AuthFile => Path.Combine(Cluster.WorkDir, "config.json");

    public string Password { get; } = "right-" + Guid.NewGuid().ToString("N");

    public LocalRegistry Open { get; private set; } = null!;

    public LocalRegistry Private { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            Cluster = await SingleNodeCluster.CreateAsync();
            Open = await LocalRegistry.StartAsync(MainEngine.Endpoint);
            Private = await LocalRegistry.StartAsync(MainEngine.Endpoint, "alice", Password);
            await File.WriteAllTextAsync(AuthFile, """{ "auths": {} }""");
            await Cluster.StartAsync(new Dictionary<string, string> { ["Orchestrator:RegistryAuthFile"] = AuthFile });
        }
        catch
        {
            // xUnit does not dispose a fixture whose start failed: what did start is stopped here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Each step runs even when one before it failed (or never ran, InitializeAsync having failed).
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        foreach (var registry in new[] { Open, Private })
        {
            if (registry is not null)
            {
                await registry.DisposeAsync();
            }
        }
    }
}
