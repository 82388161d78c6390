using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Stats;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// An in-process Orleans cluster of one silo whose node runs on a <see cref="SimulatedContainerRuntime"/>:
/// the grain logic for real, the engine faked. For the real engine, see the integration tests.
/// </summary>
internal sealed class GrainTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private GrainTestCluster(InProcessTestCluster cluster) => _cluster = cluster;

    public IClusterClient Client => _cluster.Client;

    /// <summary>The node name of the only silo (its silo name).</summary>
    public string Node => _cluster.Silos[0].Name;

    public SimulatedContainerRuntime Runtime => (SimulatedContainerRuntime)_cluster.Silos[0].ServiceProvider.GetRequiredService<IContainerRuntime>();

    public static async Task<GrainTestCluster> StartAsync(double cpus = 4, long memoryMb = 8192)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(StorageNames.Orchestrator);
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.AddPlacementDirector<NodePlacementStrategy, NodePlacementDirector>();
            siloBuilder.Services.AddOrchestratorGrains();
            siloBuilder.Services.AddSingleton<IMachineStats>(new ProcMachineStats());
            siloBuilder.Services.AddSingleton<IContainerRuntime>(new SimulatedContainerRuntime(cpus, memoryMb * 1024 * 1024, silo.SiloName));
            siloBuilder.Services.Configure<OrchestratorOptions>(o =>
            {
                o.NodeName = silo.SiloName;
                o.SweepInterval = TimeSpan.FromMilliseconds(200);
                o.PlacementRetry = TimeSpan.FromMilliseconds(300);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var testCluster = new GrainTestCluster(cluster);
        await testCluster.Client.GetGrain<INodeGrain>(testCluster.Node).StartAsync();
        return testCluster;
    }

    /// <summary>Polls until every task of the job satisfies <paramref name="condition"/>, or fails with what was last seen.</summary>
    public async Task<IReadOnlyList<TaskInfo>> WaitForTasksAsync(string job, Func<IReadOnlyList<TaskInfo>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        IReadOnlyList<TaskInfo> tasks = [];
        while (DateTimeOffset.UtcNow < deadline)
        {
            tasks = await TasksAsync(job);
            if (condition(tasks))
            {
                return tasks;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {job} did not reach the expected state; tasks: {string.Join("; ", tasks.Select(t => $"{t.Id} {t.State} {t.Reason}"))}");
    }

    public async Task<IReadOnlyList<TaskInfo>> TasksAsync(string job)
    {
        var info = await Client.GetGrain<Orchestrator.Abstractions.Jobs.IJobGrain>(job).GetAsync();
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
