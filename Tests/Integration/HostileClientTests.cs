using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Access;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// An Orleans client of its own, at a real silo's gateway on the real engine with the default policy, calls the grains
/// the cluster keeps to itself: a task told to start a privileged container, a node asked to reserve NaN or a negative
/// amount, a node asked to run a container that mounts the host's root. Every call is refused and nothing runs.
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class HostileClientTests(DockerTestEngine docker) : IAsyncLifetime
{
    private const string Node = "node-h";
    private readonly string _clusterId = SiloSettings.NewClusterId("hostile");
    private SiloProcess? _silo;

    public async Task InitializeAsync()
    {
        var settings = SiloSettings.For(null, _clusterId, Node);
        settings["Orchestrator:DockerEndpoint"] = docker.Endpoint;
        _silo = await SiloProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        await docker.RemoveContainersAsync(new Dictionary<string, string> { [ContainerLabels.Cluster] = _clusterId });
    }

    [Fact]
    public async Task Calls_to_internal_grains_are_refused_and_nothing_runs_or_is_reserved()
    {
        await using var client = await TestClusterClient.ConnectAsync(_silo!.GatewayPort, _clusterId);
        var grains = client.Client;
        var node = grains.GetNode(Node);
        var rootMount = new JobSpec
        {
            Name = "evil",
            Image = MainEngine.TestImage,
            Command = ["cat", "/host/etc/hostname"],
            Mounts = [new MountSpec { Source = "/", Target = "/host" }],
        };
        var privileged = rootMount with { Mounts = [], Privileged = true, CapAdd = ["ALL"] };

        var refused = new List<CallRefusedException>
        {
            await Assert.ThrowsAsync<CallRefusedException>(() => grains.GetGrain<ITaskGrain>("evil-0-aaaaaa").StartAsync(new TaskAssignment("evil", 0, privileged))),
            await Assert.ThrowsAsync<CallRefusedException>(() => node.ReserveAsync(new Reservation("evil-0-bbbbbb", "evil", new ResourceSpec { Cpu = double.NaN, MemoryMb = 16 }, []))),
            await Assert.ThrowsAsync<CallRefusedException>(() => node.ReserveAsync(new Reservation("evil-0-cccccc", "evil", new ResourceSpec { Cpu = 0.1, MemoryMb = -99871 }, []))),
            await Assert.ThrowsAsync<CallRefusedException>(() => node.RunAsync("evil-0-dddddd", rootMount, null)),
            await Assert.ThrowsAsync<CallRefusedException>(() => grains.GetJob("evil").ReconcileAsync()),
        };
        Assert.All(refused, e => Assert.Contains("internal to the cluster", e.Message, StringComparison.Ordinal));

        // What a client is meant to call still answers, and shows nothing reserved.
        var info = await node.GetInfoAsync();
        Assert.Equal(0, info.Tasks);
        Assert.Equal(0, info.AllocatedCpu);
        Assert.Equal(0, info.AllocatedMemoryMb);
        Assert.Null(await grains.GetGrain<ITaskGrain>("evil-0-aaaaaa").GetAsync());
        var containers = await docker.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={_clusterId}"] = true } },
        });
        Assert.Empty(containers);
    }
}
