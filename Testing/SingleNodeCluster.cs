using System.Globalization;
using Docker.DotNet.Models;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Testing;

/// <summary>
/// One real silo process, node <see cref="Node"/>, on the <see cref="MainEngine"/> against a database of its own on the
/// <see cref="SharedPostgres"/> server, with a ClusterId (<c>test-…</c>), a work folder and a dashboard port of its own,
/// driven through the real <c>orch</c>. Disposing stops the silo, removes every container of its cluster from the
/// engine, drops the database and deletes the folder, pass or fail.
/// </summary>
internal sealed class SingleNodeCluster : IAsyncDisposable
{
    /// <summary>The silo's node name.</summary>
    public const string Node = "node-a";

    private SiloProcess? _silo;

    private SingleNodeCluster(ThrowawayDatabase database) => Database = database;

    public string ClusterId { get; } = SiloSettings.NewClusterId("test");

    /// <summary>The engine the node runs its containers on.</summary>
    public DockerTestEngine Engine { get; } = new();

    /// <summary>A folder of this cluster's own for job files and whatever else a test writes; deleted at the end.</summary>
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("orch-test-").FullName;

    /// <summary>The silo's database; the silo applies the schema when it starts.</summary>
    public ThrowawayDatabase Database { get; }

    /// <summary>Where the silo serves its pages on loopback: the orchestrator view, the API, the dashboard, /metrics.</summary>
    public int DashboardPort { get; } = FreePort.Next();

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("the silo is not started yet");

    /// <summary>Creates the database and names everything else; the test starts the silo with the settings it needs.</summary>
    public static async Task<SingleNodeCluster> CreateAsync() => new(await SharedPostgres.CreateDatabaseAsync());

    /// <summary>Starts the silo and waits until its node is up; <paramref name="extra"/> adds or overrides settings.</summary>
    public async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = SiloSettings.ForEngine(Database.ConnectionString, ClusterId, Node, Engine.Endpoint);
        settings["Dashboard:Port"] = DashboardPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        _silo = await SiloProcess.StartAsync(settings);
        return _silo;
    }

    /// <summary>Runs <c>orch</c> against the silo's gateway.</summary>
    public Task<ProcessResult> OrchAsync(params string[] args) => OrchProcess.RunAsync(args, Silo.GatewayPort, ClusterId);

    /// <summary>An Orleans client of the silo, for what a test must send past <c>orch</c>'s own checks.</summary>
    public Task<TestClusterClient> ConnectAsync() => TestClusterClient.ConnectAsync(Silo.GatewayPort, ClusterId);

    /// <summary>Writes <paramref name="json"/> as the job file <paramref name="name"/> in <see cref="WorkDir"/> and returns its path.</summary>
    public string WriteJobFile(string name, string json)
    {
        var path = Path.Combine(WorkDir, $"{name}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>This cluster's containers on the engine, running or not.</summary>
    public Task<IList<ContainerListResponse>> ContainersAsync() =>
        Engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={ClusterId}"] = true },
            },
        });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_silo is not null)
            {
                await _silo.DisposeAsync();
            }
            await Engine.RemoveContainersAsync(new Dictionary<string, string> { [ContainerLabels.Cluster] = ClusterId });
            await Database.DisposeAsync();
        }
        finally
        {
            Engine.Dispose();
            Directory.Delete(WorkDir, recursive: true);
        }
    }
}
