using System.Globalization;
using System.Security.Cryptography;
using Docker.DotNet.Models;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// The multi-machine rig the cluster tests stand on: engines that answer, are independent of each other and of
/// the main engine, run the test image, publish on loopback, survive a restart with their containers, and
/// leave nothing behind.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class EngineRigTests(ClusterRigFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    private IReadOnlyList<RigEngine> Engines => fixture.Engines;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in Engines)
        {
            await engine.StartAsync();
            var ours = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{DockerTestEngine.ScopeLabel}={_scope}"] = true },
                },
            });
            foreach (var container in ours)
            {
                await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
        }
    }

    [Fact]
    public async Task Each_engine_answers_on_its_own_data_root_and_sees_only_its_own_containers()
    {
        output.WriteLine($"rig {fixture.Rig.Tag} with {Engines.Count} engines started in {fixture.Rig.StartDuration.TotalSeconds:F1} s");
        Assert.Equal(["node-1", "node-2", "node-3"], Engines.Select(e => e.Name));
        var roots = new List<string>();
        foreach (var engine in Engines)
        {
            var info = await engine.Client.System.GetSystemInfoAsync();
            output.WriteLine($"{engine.Name}: {engine.Endpoint}, root {info.DockerRootDir}, bridge {engine.Bridge} {engine.BridgeAddress}");
            Assert.StartsWith(engine.Directory + "/", info.DockerRootDir, StringComparison.Ordinal);
            roots.Add(info.DockerRootDir);
        }
        Assert.Equal(roots.Count, roots.Distinct().Count());

        var name = ContainerName("solo");
        var id = await CreateAsync(Engines[0], name, ["sleep", "300"]);

        Assert.Single(await ListByNameAsync(Engines[0], name), c => c.ID == id);
        Assert.Empty(await ListByNameAsync(Engines[1], name));
        Assert.Empty(await ListByNameAsync(Engines[2], name));
        using var main = new DockerTestEngine();
        Assert.Empty(await main.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } },
        }));
    }

    [Fact]
    public async Task The_test_image_runs_echo_hi_on_every_engine()
    {
        foreach (var engine in Engines)
        {
            var id = await CreateAsync(engine, ContainerName("echo"), ["echo", "hi"]);
            await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());
            var exit = await engine.Client.Containers.WaitContainerAsync(id);
            using var logs = await engine.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);

            Assert.True(exit.StatusCode == 0, $"{engine.Name}: exit {exit.StatusCode}, stderr {stderr}");
            Assert.Equal("hi", stdout.Trim());
        }
    }

    [Fact]
    public async Task Httpd_published_on_loopback_port_0_of_engine_2_serves_hello()
    {
        var engine = Engines[1];
        var id = await CreateAsync(engine, ContainerName("web"), ["httpd", "-f", "-p", "8080", "-h", "/www"], publish: 8080);
        await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());

        var inspected = await engine.Client.Containers.InspectContainerAsync(id);
        var binding = Assert.Single(inspected.NetworkSettings!.Ports["8080/tcp"]);
        Assert.Equal("127.0.0.1", binding.HostIP);
        var port = int.Parse(binding.HostPort, CultureInfo.InvariantCulture);
        Assert.True(port > 0);

        Assert.Equal("hello", (await GetWhenServingAsync(new Uri($"http://127.0.0.1:{port}/"))).Trim());
    }

    [Fact]
    public async Task Killing_all_containers_of_one_engine_leaves_none_running_there_and_spares_the_others()
    {
        var victim = Engines[2];
        var bystander = Engines[0];
        var killed = new[] { await StartSleeperAsync(victim, "a"), await StartSleeperAsync(victim, "b") };
        var spared = await StartSleeperAsync(bystander, "spared");

        await victim.KillAllContainersAsync();

        Assert.Empty(await victim.Client.Containers.ListContainersAsync(new ContainersListParameters()));
        foreach (var id in killed)
        {
            var state = await StateOfAsync(victim, id);
            Assert.Equal("exited", state.Status);
            Assert.Equal(137, state.ExitCode);
        }
        Assert.True((await StateOfAsync(bystander, spared)).Running);
    }

    /// <summary>
    /// With live-restore off (the default), dockerd stops its containers when it stops; they stay, exited, and on
    /// start only those with a restart policy are started again.
    /// </summary>
    [Fact]
    public async Task An_engine_restart_keeps_its_containers_and_restarts_only_those_with_a_restart_policy()
    {
        var engine = Engines[2];
        var plain = await StartSleeperAsync(engine, "plain");
        var always = await StartSleeperAsync(engine, "always", new RestartPolicy { Name = RestartPolicyKind.Always });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await engine.StopAsync();
        var stopped = stopwatch.Elapsed;
        Assert.False(engine.IsRunning);
        await Assert.ThrowsAnyAsync<Exception>(() => engine.Client.System.PingAsync());
        stopwatch.Restart();
        await engine.StartAsync();
        output.WriteLine($"{engine.Name} stopped in {stopped.TotalSeconds:F1} s, started again in {stopwatch.Elapsed.TotalSeconds:F1} s");

        var plainState = await StateOfAsync(engine, plain);
        var alwaysState = await WaitUntilRunningAsync(engine, always);
        output.WriteLine($"after the restart: no restart policy → {plainState.Status} (exit {plainState.ExitCode}); restart always → {alwaysState.Status}");
        Assert.Equal("exited", plainState.Status);
        Assert.True(alwaysState.Running);
        await engine.Client.Images.InspectImageAsync(MainEngine.TestImage);
    }

    [Fact]
    public async Task A_disposed_rig_leaves_no_daemon_bridge_mount_or_folder_and_the_main_engine_is_untouched()
    {
        var rig = await EngineRig.StartAsync(3);
        try
        {
            output.WriteLine($"a second rig of 3 engines started in {rig.StartDuration.TotalSeconds:F1} s");
            foreach (var engine in rig.Engines)
            {
                await StartSleeperAsync(engine, "left-running");
            }
            Assert.NotEmpty(RigSweeper.ProcessesOf(rig.Root));
        }
        finally
        {
            await rig.DisposeAsync();
        }
        await rig.DisposeAsync();
        output.WriteLine($"and was disposed, with a running container on each engine, in {rig.DisposeDuration!.Value.TotalSeconds:F1} s");

        Assert.Empty(RigSweeper.ProcessesOf(rig.Root));
        Assert.DoesNotContain(HostProcess.All(), p => p.CommandLine.Contains("dockerd", StringComparison.Ordinal)
            && p.CommandLine.Contains(rig.Root + "/", StringComparison.Ordinal));
        Assert.DoesNotContain(await RigBridges.ListAsync(), b => b.RigTag == rig.Tag);
        Assert.False(Directory.Exists(rig.Root));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(rig.Root, StringComparison.Ordinal));
        await AssertMainEngineUntouchedAsync();
    }

    [Fact]
    public async Task Leftovers_of_a_crashed_run_are_removed_while_live_rigs_are_spared()
    {
        var crashed = await EngineRig.StartAsync(1);
        try
        {
            var engine = crashed.Engines[0];
            var sleeper = await StartSleeperAsync(engine, "orphan");
            var containerPid = (await StateOfAsync(engine, sleeper)).Pid;
            // A crash: the owning run is gone and dockerd dies with SIGKILL, leaving shim and container running.
            File.WriteAllText(Path.Combine(crashed.Root, "owner"), "0 0");
            using (var daemon = System.Diagnostics.Process.GetProcessById(engine.ProcessId!.Value))
            {
                daemon.Kill();
                await daemon.WaitForExitAsync();
            }
            Assert.Contains(HostProcess.All(), p => p.Pid == containerPid);

            await EngineRig.CleanUpLeftoversAsync();

            Assert.DoesNotContain(HostProcess.All(), p => p.Pid == containerPid);
            Assert.Empty(RigSweeper.ProcessesOf(crashed.Root));
            Assert.False(await RigBridges.ExistsAsync(engine.Bridge));
            Assert.False(Directory.Exists(crashed.Root));
            foreach (var live in Engines)
            {
                Assert.True(live.IsRunning, $"{live.Name} of the live rig was stopped");
                await live.Client.System.PingAsync();
                Assert.True(await RigBridges.ExistsAsync(live.Bridge));
            }
        }
        finally
        {
            await crashed.DisposeAsync();
        }
        await AssertMainEngineUntouchedAsync();
    }

    [Fact]
    public async Task Rigs_claiming_bridges_at_the_same_moment_each_get_subnets_no_other_has()
    {
        // Owned roots, as EngineRig.StartAsync makes them, so that a rig starting alongside does not sweep the bridges.
        var roots = new List<string>();
        while (roots.Count < 8)
        {
            var root = RigSweeper.RootOf(RandomNumberGenerator.GetHexString(4, lowercase: true));
            if (!Directory.Exists(root))
            {
                Directory.CreateDirectory(root);
                Assert.True(RigOwnership.TryClaim(root));
                roots.Add(root);
            }
        }
        var tags = roots.Select(r => Path.GetFileName(r)[RigSweeper.RootPrefix.Length..]).ToList();
        try
        {
            var claims = await Task.WhenAll(tags.Select(tag => RigBridges.ClaimAsync(tag, 3)));

            var octets = claims.SelectMany(c => c).ToList();
            Assert.Equal(octets.Count, octets.Distinct().Count());
            Assert.DoesNotContain(Engines, e => octets.Any(o => e.BridgeAddress == RigBridges.GatewayCidr(o)));
        }
        finally
        {
            var problems = new List<Exception>();
            foreach (var (root, tag) in roots.Zip(tags))
            {
                await RigSweeper.SweepAsync(root, Enumerable.Range(1, 3).Select(i => RigBridges.Name(tag, i)), problems);
            }
            Assert.Empty(problems);
        }
    }

    private static async Task AssertMainEngineUntouchedAsync()
    {
        using var main = new DockerTestEngine();
        await main.Client.System.PingAsync();
        Assert.True(await RigBridges.ExistsAsync("docker0"), "docker0 is gone");
    }

    private string ContainerName(string purpose) => $"rig-test-{_scope}-{purpose}";

    private async Task<string> CreateAsync(RigEngine engine, string name, IList<string> command, int? publish = null, RestartPolicy? restart = null)
    {
        var parameters = new CreateContainerParameters
        {
            Name = name,
            Image = MainEngine.TestImage,
            Cmd = command,
            Labels = new Dictionary<string, string> { [DockerTestEngine.ScopeLabel] = _scope },
            // sleep and httpd ignore SIGTERM as PID 1; stopping them need not wait the default 10 s.
            StopTimeout = TimeSpan.FromSeconds(1),
            HostConfig = new HostConfig { RestartPolicy = restart ?? new RestartPolicy { Name = RestartPolicyKind.No } },
        };
        if (publish is { } port)
        {
            var key = $"{port}/tcp";
            parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [key] = default };
            parameters.HostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [key] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }],
            };
        }
        return (await engine.Client.Containers.CreateContainerAsync(parameters)).ID;
    }

    private async Task<string> StartSleeperAsync(RigEngine engine, string purpose, RestartPolicy? restart = null)
    {
        var id = await CreateAsync(engine, ContainerName(purpose), ["sleep", "300"], restart: restart);
        await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());
        return id;
    }

    private static async Task<IList<ContainerListResponse>> ListByNameAsync(RigEngine engine, string name) =>
        await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } },
        });

    private static async Task<State> StateOfAsync(RigEngine engine, string id) =>
        (await engine.Client.Containers.InspectContainerAsync(id)).State ?? throw new InvalidOperationException($"{id} has no state");

    private static async Task<State> WaitUntilRunningAsync(RigEngine engine, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var state = await StateOfAsync(engine, id);
            if (state.Running || DateTime.UtcNow > deadline)
            {
                return state;
            }
            await Task.Delay(100);
        }
    }

    private static async Task<string> GetWhenServingAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await http.GetStringAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
