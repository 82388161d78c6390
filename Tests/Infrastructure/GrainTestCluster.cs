using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Stats;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Tasks;
using Orchestrator.Silo.Persistence.GroupCommit;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// An in-process Orleans cluster of one silo whose node runs on a <see cref="SimulatedContainerRuntime"/>:
/// the grain logic for real, the engine faked. For the real engine, see the integration tests.
/// </summary>
internal sealed class GrainTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    /// <summary>The name the real storage is registered under; the orchestrator's name is the <see cref="StorageFaults"/> wrapper over it.</summary>
    private const string InnerStorage = "inner";

    private GrainTestCluster(InProcessTestCluster cluster, StorageFaults storageFaults)
    {
        _cluster = cluster;
        StorageFaults = storageFaults;
    }

    /// <summary>Makes chosen writes of the orchestrator's grain storage fail, on every silo.</summary>
    public StorageFaults StorageFaults { get; }

    public IClusterClient Client => _cluster.Client;

    /// <summary>The node name of the first silo (its silo name).</summary>
    public string Node => _cluster.Silos[0].Name;

    /// <summary>Every silo's node name, first silo first.</summary>
    public IReadOnlyList<string> Nodes => _cluster.Silos.Select(s => s.Name).ToArray();

    public SimulatedContainerRuntime Runtime => RuntimeOf(Node);

    public SimulatedContainerRuntime RuntimeOf(string node) =>
        (SimulatedContainerRuntime)ServicesOf(node).GetRequiredService<IContainerRuntime>();

    /// <summary>The services of the silo of <paramref name="node"/>.</summary>
    public IServiceProvider ServicesOf(string node) => _cluster.Silos.Single(s => s.Name == node).ServiceProvider;

    /// <summary>What the orchestrator's storage holds for a grain (null: nothing), read past any activation's memory, through a live silo.</summary>
    public async Task<T?> ReadStoredAsync<T>(string stateName, GrainId grain)
    {
        var storage = _cluster.Silos.First(s => s.IsActive).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(InnerStorage);
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grain, state);
        return state.State;
    }

    /// <summary>Deactivates the grain's activation, as a restart of its silo would: its next call activates it from storage.</summary>
    public Task DeactivateAsync(IAddressable grain) => _cluster.DeactivateAsync(grain);

    /// <summary>Kills a silo abruptly, as a machine failure would; the others must declare it dead.</summary>
    public Task KillAsync(string node) => _cluster.KillSiloAsync(_cluster.Silos.Single(s => s.Name == node));

    /// <param name="cpus">Each simulated node's CPUs.</param>
    /// <param name="memoryMb">Each simulated node's memory.</param>
    /// <param name="silos">How many silos (nodes).</param>
    /// <param name="postgres">
    /// A database with the schema applied, for grain state that must outlive a killed silo (in-memory
    /// storage keeps state inside one of the silos and dies with it).
    /// </param>
    /// <param name="sweepInterval">How often nodes list their containers; 200 ms unless a test needs the sweep out of the way.</param>
    /// <param name="taskRetention">How long ended tasks and stopped jobs are kept; the silo's default (an hour) unless given.</param>
    /// <param name="reconcileInterval">The period of each job's reminder; the silo's default (a minute) unless given.</param>
    /// <param name="lostCalls">Grain calls to lose on every silo, for tests of what survives a lost message.</param>
    /// <param name="restartGrace">
    /// How long a silo is Active before it declares nodes lost; none unless given, since tests kill silos of a cluster
    /// seconds old, as a steady cluster's older survivors would see it.
    /// </param>
    /// <param name="nodeLossCheckInterval">How often the detector and every job check node liveness; the silo's default unless given.</param>
    /// <param name="lossNotices">False runs no node-loss detector, as if every node-loss notice were lost on its way.</param>
    /// <param name="nodeNameOf">Each silo's <c>Orchestrator:NodeName</c> from its silo name; the silo name itself unless given.</param>
    /// <param name="secrets">The silos' cluster key for secrets; none (secrets off) unless given.</param>
    /// <param name="runningCheckInterval">How often a Running task asks its node about itself; 2 s unless given.</param>
    /// <param name="clock">The silos' clock (what scheduled jobs read the time from); the system's unless given.</param>
    public static async Task<GrainTestCluster> StartAsync(
        double cpus = 4,
        long memoryMb = 8192,
        short silos = 1,
        string? postgres = null,
        TimeSpan? sweepInterval = null,
        TimeSpan? taskRetention = null,
        TimeSpan? reconcileInterval = null,
        LostCalls? lostCalls = null,
        TimeSpan? restartGrace = null,
        TimeSpan? nodeLossCheckInterval = null,
        bool lossNotices = true,
        Func<string, string>? nodeNameOf = null,
        SecretVault? secrets = null,
        TimeSpan? runningCheckInterval = null,
        TimeProvider? clock = null)
    {
        var storageFaults = new StorageFaults();
        var builder = new InProcessTestClusterBuilder(silos);
        // Stored state is keyed by ServiceId: a fixed one lets a second cluster on the same database find it.
        builder.Options.ServiceId = "orchestrator-tests";
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            });
            if (postgres is null)
            {
                siloBuilder.AddMemoryGrainStorage(InnerStorage);
            }
            else
            {
                siloBuilder.Services.AddGroupCommitGrainStorage(InnerStorage, postgres);
            }
            siloBuilder.Services.AddKeyedSingleton(StorageNames.Orchestrator, (sp, _) => storageFaults.Wrap(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            siloBuilder.UseInMemoryReminderService();
            if (reconcileInterval is { } interval)
            {
                siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = interval);
            }
            siloBuilder.AddPlacementDirector<NodePlacementStrategy, NodePlacementDirector>();
            siloBuilder.AddActivityPropagation();
            if (lostCalls is not null)
            {
                siloBuilder.AddIncomingGrainCallFilter(lostCalls);
            }
            if (secrets is not null)
            {
                siloBuilder.Services.AddSingleton(secrets);
            }
            if (clock is not null)
            {
                siloBuilder.Services.AddSingleton(clock);
            }
            siloBuilder.Services.AddOrchestratorGrains();
            if (!lossNotices)
            {
                siloBuilder.Services.Remove(siloBuilder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(NodeLossDetector)));
            }
            siloBuilder.Services.AddSingleton<IMachineStats>(new ProcMachineStats());
            siloBuilder.Services.AddSingleton<IContainerRuntime>(new SimulatedContainerRuntime(cpus, memoryMb * 1024 * 1024, silo.SiloName));
            siloBuilder.Services.Configure<NodeOptions>(o =>
            {
                o.NodeName = nodeNameOf?.Invoke(silo.SiloName) ?? silo.SiloName;
                o.SweepInterval = sweepInterval ?? TimeSpan.FromMilliseconds(200);
                o.NodeRestartGrace = restartGrace ?? TimeSpan.Zero;
                o.NodeLossCheckInterval = nodeLossCheckInterval ?? o.NodeLossCheckInterval;
            });
            siloBuilder.Services.Configure<TaskOptions>(o =>
            {
                o.PlacementRetry = TimeSpan.FromMilliseconds(300);
                // 2 s rather than the silo's 30 s: a task that lost its reservation finds out within the test's patience.
                o.RunningCheckInterval = runningCheckInterval ?? TimeSpan.FromSeconds(2);
            });
            siloBuilder.Services.Configure<JobOptions>(o =>
            {
                o.TaskRetention = taskRetention ?? o.TaskRetention;
                o.ReconcileInterval = reconcileInterval ?? o.ReconcileInterval;
            });
        });
        var testCluster = new GrainTestCluster(builder.Build(), storageFaults);
        try
        {
            await testCluster._cluster.DeployAsync();
            foreach (var node in testCluster.Nodes)
            {
                await testCluster.Client.GetNode(node).StartAsync();
            }
            return testCluster;
        }
        catch
        {
            await testCluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls until every task of the job satisfies <paramref name="condition"/>, or fails with what was last seen.</summary>
    public async Task<IReadOnlyList<TaskInfo>> WaitForTasksAsync(string job, Func<IReadOnlyList<TaskInfo>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        IReadOnlyList<TaskInfo> tasks = [];
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                tasks = await TasksAsync(job);
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                // A grain on a silo a test killed answers nothing until the cluster knows: ask again, the state is what counts.
                continue;
            }
            if (condition(tasks))
            {
                return tasks;
            }
            await Task.Delay(100);
        }
        var nodes = await Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
        var containers = new List<string>();
        foreach (var node in Nodes)
        {
            containers.AddRange((await RuntimeOf(node).ListAsync(new Dictionary<string, string>(), default)).Select(c => $"{node}:{c.Id}:{c.State}:{c.Labels.GetValueOrDefault("orch.task")}"));
        }
        throw new TimeoutException(
            $"job {job} did not reach the expected state; tasks: {string.Join("; ", tasks.Select(t => $"{t.Id} {t.State} {t.Reason} [{string.Join(" | ", t.Events.Select(e => e.Reason))}]"))}"
            + $"\nnodes: {string.Join("; ", nodes.Select(n => $"{n.Name} {n.Status} cpu {n.AllocatedCpu}/{n.Cpus} tasks {n.Tasks}"))}\ncontainers: {string.Join("; ", containers)}");
    }

    public async Task<IReadOnlyList<TaskInfo>> TasksAsync(string job)
    {
        var info = await Client.GetJob(job).GetAsync();
        if (info is null)
        {
            return [];
        }
        var tasks = await Task.WhenAll(info.TaskIds.Select(id => Client.GetGrain<ITaskGrain>(id).GetAsync()));
        return tasks.OfType<TaskInfo>().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
