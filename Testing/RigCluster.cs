using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Operations.Cluster;

namespace Orchestrator.Testing;

/// <summary>
/// Real silo processes on the engines of the cluster rig, one PostgreSQL database, and a ClusterId of
/// their own, driven through the real <c>orch</c> with every gateway. Disposing stops the silos and
/// removes every container of this cluster from every engine, pass or fail.
/// </summary>
internal sealed class RigCluster : IAsyncDisposable
{
    private readonly IReadOnlyList<RigEngine> _engines;
    private readonly ThrowawayDatabase _database;
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-cluster-").FullName;
    private readonly SemaphoreSlim _readerLock = new(1, 1);
    private TestClusterClient? _reader;

    private RigCluster(IReadOnlyList<RigEngine> engines, ThrowawayDatabase database, string clusterId)
    {
        _engines = engines;
        _database = database;
        ClusterId = clusterId;
    }

    public string ClusterId { get; }

    public List<SiloProcess> Silos { get; } = [];

    public string ConnectionString => _database.ConnectionString;

    /// <summary>
    /// Starts one silo per engine; <paramref name="extra"/> adds settings per engine (labels, scheduler). The
    /// database is made on the server of <paramref name="postgresServer"/> (an admin connection string),
    /// by default the one <c>ORCH_TEST_POSTGRES</c> names.
    /// </summary>
    public static async Task<RigCluster> StartAsync(
        IReadOnlyList<RigEngine> engines,
        Func<RigEngine, IReadOnlyDictionary<string, string>>? extra = null,
        string? postgresServer = null)
    {
        var database = await ThrowawayDatabase.CreateAsync(postgresServer ?? SharedPostgres.ServerConnectionString, "cluster");
        var cluster = new RigCluster(engines, database, $"test-{Guid.NewGuid():N}"[..17]);
        try
        {
            var silos = await Task.WhenAll(engines.Select(engine =>
            {
                var settings = cluster.Settings(engine);
                foreach (var (key, value) in extra?.Invoke(engine) ?? new Dictionary<string, string>())
                {
                    settings[key] = value;
                }
                return SiloProcess.StartAsync(settings);
            }));
            cluster.Silos.AddRange(silos);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task<ProcessResult> OrchAsync(params string[] args) =>
        OrchProcess.RunAsync(args, Silos.Select(s => s.GatewayPort).ToArray(), ClusterId);

    /// <summary>
    /// Writes a job file running busybox httpd on a published port and returns its path; <paramref name="extraFields"/>
    /// are more fields of the job object, each followed by a comma (<c>"spreadBy": "zone",</c>). Its stop grace is 2 s:
    /// httpd as a container's first process ignores SIGTERM, so each stop waits the whole grace, and rollouts and
    /// drains stop replicas one after another.
    /// </summary>
    public string WriteJob(string name, int replicas, double cpu = 0.1, string? scheduler = null, string? constraintsJson = null, string? extraFields = null)
    {
        var path = Path.Combine(_workDir, $"{name}.json");
        var schedulerLine = scheduler is null ? "" : $"\"scheduler\": \"{scheduler}\",";
        var constraintsLine = constraintsJson is null ? "" : $"\"constraints\": {constraintsJson},";
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "image": "{{MainEngine.TestImage}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              {{schedulerLine}}
              {{constraintsLine}}
              {{extraFields}}
              "replicas": {{replicas}},
              "stopGraceSeconds": 2,
              "resources": { "cpu": {{cpu.ToString(CultureInfo.InvariantCulture)}}, "memoryMb": 16 },
              "ports": [ { "container": 8080, "host": 0 } ]
            }
            """);
        return path;
    }

    /// <summary>Writes <paramref name="json"/> as the job file <paramref name="name"/> and returns its path.</summary>
    public string WriteJobFile(string name, string json)
    {
        var path = Path.Combine(_workDir, $"{name}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Submits a job and waits until every replica runs; fails with the silos' logs if not.</summary>
    public async Task RunJobAsync(string name, int replicas, double cpu = 0.1, string? scheduler = null, string? constraintsJson = null, string? extraFields = null)
    {
        var run = await OrchAsync("run", "-f", WriteJob(name, replicas, cpu, scheduler, constraintsJson, extraFields), "--wait", "--timeout", "120");
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"orch run failed: {run}\n{string.Join("\n---\n", Silos.Select(s => s.Log))}");
        }
    }

    /// <summary>
    /// What <c>orch ps [--job NAME] [--all]</c> lists, read the way it reads it (<see cref="ClusterReader"/>) but from this
    /// process: tests poll this many times a second, and an <c>orch</c> process costs a second and a half of CPU on a
    /// machine whose two cores run three clusters. Empty when the cluster does not answer, as <c>orch</c> failing would be.
    /// </summary>
    public async Task<List<RigTask>> TasksAsync(params string[] extraArgs)
    {
        var all = extraArgs.Contains("--all");
        var jobAt = Array.IndexOf(extraArgs, "--job");
        var job = jobAt >= 0 ? extraArgs[jobAt + 1] : null;
        if (extraArgs.Length != (all ? 1 : 0) + (job is null ? 0 : 2))
        {
            throw new ArgumentException($"ps takes only --job NAME and --all here (got {string.Join(' ', extraArgs)})", nameof(extraArgs));
        }
        try
        {
            var reader = await ReaderAsync();
            var tasks = await ClusterReader.ListTasksAsync(reader.Client, job, all ? TaskQuery.All : TaskQuery.Live);
            return [.. tasks.Select(t => new RigTask(
                t.Id, t.Job, t.Slot, t.State.ToString(), t.Node, t.Reason, t.Ports.Select(p => p.Host).FirstOrDefault()))];
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    /// <summary>The client the polls read through, connected on first use to every silo's gateway.</summary>
    private async Task<TestClusterClient> ReaderAsync()
    {
        await _readerLock.WaitAsync();
        try
        {
            return _reader ??= await TestClusterClient.ConnectAsync([.. Silos.Select(s => s.GatewayPort)], ClusterId, TimeSpan.FromSeconds(10));
        }
        finally
        {
            _readerLock.Release();
        }
    }

    public async Task<List<JsonElement>> NodesAsync() =>
        JsonDocument.Parse((await OrchAsync("nodes", "--json")).StdOut).RootElement.EnumerateArray().ToList();

    /// <summary>The task ids of this cluster's running containers on <paramref name="engines"/>.</summary>
    public async Task<List<string>> RunningContainerTasksAsync(params RigEngine[] engines) =>
        [.. (await RunningContainersAsync(engines)).Values];

    /// <summary>This cluster's running containers on <paramref name="engines"/>: container id → the task it runs.</summary>
    public async Task<Dictionary<string, string>> RunningContainersAsync(params RigEngine[] engines)
    {
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var engine in engines)
        {
            foreach (var container in await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { Filters = OurLabel() }))
            {
                containers[container.ID] = container.Labels[ContainerLabels.Task];
            }
        }
        return containers;
    }

    /// <summary>What the cluster says runs and what runs on every engine, for a convergence check.</summary>
    public async Task<RigSnapshot> SnapshotAsync() => new(await TasksAsync(), await RunningContainersAsync([.. _engines]));

    /// <summary>The last <paramref name="lines"/> lines of each silo's log, for a failure's diagnosis.</summary>
    public string SiloLogs(int lines) =>
        string.Join('\n', Silos.Select((silo, i) =>
        {
            var all = silo.Log.Split('\n');
            return $"--- silo {_engines[i].Name} (exited: {silo.HasExited}), last {Math.Min(lines, all.Length)} of {all.Length} lines\n{string.Join('\n', all.TakeLast(lines))}";
        }));

    /// <summary>Job → how many containers, running or not, this cluster has for it on <paramref name="engines"/>.</summary>
    public async Task<Dictionary<string, int>> ContainersPerJobAsync(params RigEngine[] engines)
    {
        var jobs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var engine in engines)
        {
            foreach (var container in await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = OurLabel() }))
            {
                var job = container.Labels[ContainerLabels.Job];
                jobs[job] = jobs.GetValueOrDefault(job) + 1;
            }
        }
        return jobs;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }
        _readerLock.Dispose();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
        foreach (var engine in _engines)
        {
            if (!engine.IsRunning)
            {
                await engine.StartAsync();
            }
            var all = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = OurLabel() });
            foreach (var container in all)
            {
                await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
        }
        try
        {
            await _database.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_workDir, recursive: true);
        }
    }

    private Dictionary<string, string> Settings(RigEngine engine) => SiloSettings.ForEngine(_database.ConnectionString, ClusterId, engine.Name, engine.Endpoint);

    private Dictionary<string, IDictionary<string, bool>> OurLabel() => new()
    {
        ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={ClusterId}"] = true },
    };
}
