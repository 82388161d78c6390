using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// What the registry pull tests share, started once: two real registries on loopback ports (one open, one that lets
/// in only alice, with a password of this run), a PostgreSQL database and one silo on the real engine that reads
/// registry credentials from <see cref="AuthFile"/>. Disposing it stops and removes all of it, the containers of its
/// cluster and the images pushed to the registries included, also after a failure.
/// </summary>
public sealed class RegistryPullFixture : IAsyncLifetime
{
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..17];

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("orch-test-").FullName;

    /// <summary>The silo's <c>Orchestrator:RegistryAuthFile</c>; tests write it as they need, since the silo reads it at every pull.</summary>
    public string AuthFile => Path.Combine(WorkDir, "config.json");

    public string Password { get; } = "right-" + Guid.NewGuid().ToString("N");

    public LocalRegistry Open { get; private set; } = null!;

    public LocalRegistry Private { get; private set; } = null!;

    public PostgresDatabase Database { get; private set; } = null!;

    /// <summary>The silo's pages, /metrics among them, on loopback.</summary>
    public int DashboardPort { get; } = FreePort.Next();

    internal SiloProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            Database = await PostgresDatabase.CreateAsync();
            Open = await LocalRegistry.StartAsync(MainEngine.Endpoint);
            Private = await LocalRegistry.StartAsync(MainEngine.Endpoint, "alice", Password);
            await File.WriteAllTextAsync(AuthFile, """{ "auths": {} }""");
            var settings = SiloSettings.ForEngine(Database.ConnectionString, ClusterId, "node-a", MainEngine.Endpoint);
            settings["Orchestrator:RegistryAuthFile"] = AuthFile;
            settings["Dashboard:Port"] = DashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Silo = await SiloProcess.StartAsync(settings);
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
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
        using (var docker = new DockerTestEngine())
        {
            await docker.RemoveContainersAsync(new Dictionary<string, string> { [ContainerLabels.Cluster] = ClusterId });
        }
        foreach (var registry in new[] { Open, Private })
        {
            if (registry is not null)
            {
                await registry.DisposeAsync();
            }
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        Directory.Delete(WorkDir, recursive: true);
    }
}
