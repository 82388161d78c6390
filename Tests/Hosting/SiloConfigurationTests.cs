using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Scheduling;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Tasks;
using Orchestrator.Silo.Hosting;
using Xunit;

namespace Orchestrator.Tests.Hosting;

/// <summary>
/// The silo's configuration as docs/CONTRACT.md (Silo configuration) lists it: each key reaches the part that reads it,
/// with its documented default, and a value the silo cannot run with stops it at start with one line naming the key.
/// </summary>
public sealed class SiloConfigurationTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public SiloConfigurationTests() => File.WriteAllBytes(_file, RandomNumberGenerator.GetBytes(32));

    public void Dispose() => File.Delete(_file);

    public static TheoryData<Dictionary<string, string?>, string> Refused => new()
    {
        { new() { ["Orchestrator:Runtime"] = "podman" }, "Orchestrator:Runtime must be docker or simulated" },
        { new() { ["Orchestrator:Runtime"] = "" }, "Orchestrator:Runtime must be docker or simulated" },
        { new() { ["Orchestrator:Runtime"] = "1" }, "Orchestrator:Runtime must be docker or simulated" },
        { new() { ["Orchestrator:Runtime"] = "docker,simulated" }, "Orchestrator:Runtime must be docker or simulated" },
        { new() { ["Orchestrator:NodeName"] = "a#1" }, "Orchestrator:NodeName must not contain '#'" },
        { new() { ["Orchestrator:SimulatedNodes"] = "5" }, "Orchestrator:SimulatedNodes above 1 needs Orchestrator:Runtime simulated" },
        { new() { ["Orchestrator:DefaultScheduler"] = "fifo" }, "Orchestrator:DefaultScheduler must be one of epvm, round-robin, binpack, spread" },
        { new() { ["Orchestrator:TaskRetention"] = "-01:00:00" }, "Orchestrator:TaskRetention must not be negative" },
        { new() { ["Orleans:AdvertisedIP"] = "silo-a" }, "Orleans:AdvertisedIP must be an IP address such as 10.0.0.5 or 127.0.0.1" },
        { new() { ["Dashboard:Address"] = "anywhere" }, "Dashboard:Address must be an IP address such as 127.0.0.1 or 0.0.0.0 (got 'anywhere')" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_the_silo_cannot_run_with_stops_it_with_one_line_naming_the_key(Dictionary<string, string?> settings, string line)
    {
        var error = Assert.Throws<SiloConfigurationException>(() => Silo(settings));

        Assert.Equal(line, error.Message);
    }

    [Theory]
    [InlineData("Orchestrator:SweepInterval", "soon")]
    [InlineData("Orchestrator:SimulatedNodes", "many")]
    [InlineData("Orleans:SiloPort", "eleven")]
    [InlineData("Orchestrator:Policy:AllowPrivileged", "maybe")]
    public void A_value_of_the_wrong_type_stops_the_silo_with_one_line_naming_the_key_and_the_value(string key, string value)
    {
        var error = Assert.Throws<SiloConfigurationException>(() => Silo(new() { [key] = value }));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains($"'{value}' at '{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker", typeof(DockerContainerRuntime))]
    [InlineData("Simulated", typeof(SimulatedContainerRuntime))]
    [InlineData("SIMULATED", typeof(SimulatedContainerRuntime))]
    public void The_runtime_is_named_in_any_case(string runtime, Type expected)
    {
        using var services = Silo(new() { ["Orchestrator:Runtime"] = runtime }).Services.BuildServiceProvider();

        Assert.IsType(expected, services.GetRequiredService<IContainerRuntime>());
    }

    [Fact]
    public void Every_key_reaches_the_options_of_the_part_that_reads_it()
    {
        using var services = Silo(new()
        {
            ["Orleans:ClusterId"] = "cluster-a",
            ["Orleans:ServiceId"] = "service-a",
            ["Orleans:AdvertisedIP"] = "10.0.0.5",
            ["Orleans:SiloPort"] = "12111",
            ["Orleans:GatewayPort"] = "31000",
            ["Dashboard:Port"] = "0",
            ["Dashboard:Address"] = "0.0.0.0",
            ["Orchestrator:NodeName"] = "node-a",
            ["Orchestrator:DockerEndpoint"] = "unix:///run/other.sock",
            ["Orchestrator:Runtime"] = "simulated",
            ["Orchestrator:SimulatedNodes"] = "3",
            ["Orchestrator:NodeLabels:zone"] = "z1",
            ["Orchestrator:SecretsKeyFile"] = _file,
            ["Orchestrator:SecretsMountRoot"] = "/dev/shm/other",
            ["Orchestrator:PortHost"] = "10.0.0.6",
            ["Orchestrator:DefaultScheduler"] = "spread",
            ["Orchestrator:Policy:AllowPrivileged"] = "true",
            ["Orchestrator:Policy:AllowHostMounts"] = "true",
            ["Orchestrator:Policy:AllowHostNetwork"] = "true",
            ["Orchestrator:SweepInterval"] = "00:00:03",
            ["Orchestrator:NodeDownAfter"] = "00:00:21",
            ["Orchestrator:NodeRestartGrace"] = "00:00:30",
            ["Orchestrator:NodeLossCheckInterval"] = "00:00:11",
            ["Orchestrator:PlacementRetry"] = "00:00:04",
            ["Orchestrator:ReconcileInterval"] = "00:02:00",
            ["Orchestrator:RunningCheckInterval"] = "00:00:31",
            ["Orchestrator:RolloutCheckInterval"] = "00:00:02",
            ["Orchestrator:TaskRetention"] = "02:00:00",
            ["Orchestrator:ImagePullTimeout"] = "00:11:00",
            ["Orchestrator:RegistryAuthFile"] = _file,
        }).Services.BuildServiceProvider();

        var orleans = Options<SiloOrleansOptions>(services);
        Assert.Equal(("cluster-a", "service-a", "10.0.0.5", 12111, 31000), (orleans.ClusterId, orleans.ServiceId, orleans.AdvertisedIP, orleans.SiloPort, orleans.GatewayPort));
        var dashboard = Options<SiloDashboardOptions>(services);
        Assert.Equal((0, "0.0.0.0"), (dashboard.Port, dashboard.Address));
        var node = Options<NodeOptions>(services);
        Assert.Equal(
            ("node-a", "unix:///run/other.sock", ContainerRuntimeKind.Simulated, 3, "z1", "/dev/shm/other", "10.0.0.6", _file),
            (node.NodeName, node.DockerEndpoint, node.Runtime, node.SimulatedNodes, node.NodeLabels["zone"], node.SecretsMountRoot, node.PortHost, node.RegistryAuthFile));
        Assert.Equal((true, true, true), (node.ExecutionPolicy.AllowPrivileged, node.ExecutionPolicy.AllowHostMounts, node.ExecutionPolicy.AllowHostNetwork));
        Assert.Equal(
            (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(11), TimeSpan.FromMinutes(11)),
            (node.SweepInterval, node.NodeDownAfter, node.NodeRestartGrace, node.NodeLossCheckInterval, node.ImagePullTimeout));
        Assert.Equal("spread", Options<SchedulerOptions>(services).DefaultScheduler);
        var jobs = Options<JobOptions>(services);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(2)), (jobs.TaskRetention, jobs.ReconcileInterval, jobs.RolloutCheckInterval));
        var tasks = Options<TaskOptions>(services);
        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(31)), (tasks.PlacementRetry, tasks.RunningCheckInterval));
        Assert.Equal(_file, Options<SecretsOptions>(services).SecretsKeyFile);
        Assert.True(services.GetRequiredService<SecretVault>().Enabled);
    }

    [Fact]
    public void A_key_left_out_takes_its_documented_default()
    {
        using var services = Silo([]).Services.BuildServiceProvider();

        var orleans = Options<SiloOrleansOptions>(services);
        Assert.Equal(("orchestrator", "orchestrator", "127.0.0.1", 11111, 30000), (orleans.ClusterId, orleans.ServiceId, orleans.AdvertisedIP, orleans.SiloPort, orleans.GatewayPort));
        Assert.Equal("127.0.0.1:8080", Options<SiloDashboardOptions>(services).Endpoint.ToString());
        var node = Options<NodeOptions>(services);
        Assert.Equal(
            ("unix:///var/run/docker.sock", ContainerRuntimeKind.Docker, 1, "/dev/shm/orch-secrets", "127.0.0.1", null),
            (node.DockerEndpoint, node.Runtime, node.SimulatedNodes, node.SecretsMountRoot, node.PortHost, node.RegistryAuthFile));
        Assert.Equal((false, false, false), (node.ExecutionPolicy.AllowPrivileged, node.ExecutionPolicy.AllowHostMounts, node.ExecutionPolicy.AllowHostNetwork));
        Assert.Equal(
            (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)),
            (node.SweepInterval, node.NodeDownAfter, node.NodeRestartGrace, node.NodeLossCheckInterval, node.ImagePullTimeout));
        Assert.Equal("epvm", Options<SchedulerOptions>(services).DefaultScheduler);
        var jobs = Options<JobOptions>(services);
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)), (jobs.TaskRetention, jobs.ReconcileInterval, jobs.RolloutCheckInterval));
        var tasks = Options<TaskOptions>(services);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30)), (tasks.PlacementRetry, tasks.RunningCheckInterval));
        Assert.False(services.GetRequiredService<SecretVault>().Enabled);
    }

    [Theory]
    [InlineData("Orchestrator:Runtime", "podman", "Orchestrator:Runtime must be docker or simulated")]
    [InlineData("Orchestrator:NodeLossCheckInterval", "00:00:00", "Orchestrator:NodeLossCheckInterval must be between 100 ms and 10 minutes")]
    public async Task A_silo_process_given_such_a_value_prints_that_line_alone_and_exits(string key, string value, string line)
    {
        var settings = SiloSettings.For(null, SiloSettings.NewClusterId("config"), "config-a");
        settings[key] = value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(settings));

        Assert.Contains("exited: True", error.Message, StringComparison.Ordinal);
        var log = error.Message[(error.Message.IndexOf("log:\n", StringComparison.Ordinal) + 5)..].Trim();
        Assert.Equal($"orch silo: {line}", Assert.Single(log.Split('\n')));
    }

    private static WebApplicationBuilder Silo(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        return builder.AddOrchestratorSilo();
    }

    private static T Options<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
