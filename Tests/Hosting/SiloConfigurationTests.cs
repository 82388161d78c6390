using System.Globalization;
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
        var settings = new Dictionary<string, string?>
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
        };

        using var services = Silo(settings).Services.BuildServiceProvider();

        Assert.Equal(settings, Bound(services));
        Assert.True(services.GetRequiredService<SecretVault>().Enabled);
    }

    [Fact]
    public void A_key_left_out_takes_its_documented_default()
    {
        using var services = Silo([]).Services.BuildServiceProvider();

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["Orleans:ClusterId"] = "orchestrator",
                ["Orleans:ServiceId"] = "orchestrator",
                ["Orleans:AdvertisedIP"] = "127.0.0.1",
                ["Orleans:SiloPort"] = "11111",
                ["Orleans:GatewayPort"] = "30000",
                ["Dashboard:Port"] = "8080",
                ["Dashboard:Address"] = null,
                ["Orchestrator:NodeName"] = Environment.MachineName.ToLowerInvariant(),
                ["Orchestrator:DockerEndpoint"] = "unix:///var/run/docker.sock",
                ["Orchestrator:Runtime"] = "docker",
                ["Orchestrator:SimulatedNodes"] = "1",
                ["Orchestrator:NodeLabels:zone"] = null,
                ["Orchestrator:SecretsKeyFile"] = null,
                ["Orchestrator:SecretsMountRoot"] = "/dev/shm/orch-secrets",
                ["Orchestrator:PortHost"] = "127.0.0.1",
                ["Orchestrator:DefaultScheduler"] = "epvm",
                ["Orchestrator:Policy:AllowPrivileged"] = "false",
                ["Orchestrator:Policy:AllowHostMounts"] = "false",
                ["Orchestrator:Policy:AllowHostNetwork"] = "false",
                ["Orchestrator:SweepInterval"] = "00:00:02",
                ["Orchestrator:NodeDownAfter"] = "00:00:20",
                ["Orchestrator:NodeRestartGrace"] = "00:01:00",
                ["Orchestrator:NodeLossCheckInterval"] = "00:00:10",
                ["Orchestrator:PlacementRetry"] = "00:00:03",
                ["Orchestrator:ReconcileInterval"] = "00:01:00",
                ["Orchestrator:RunningCheckInterval"] = "00:00:30",
                ["Orchestrator:RolloutCheckInterval"] = "00:00:01",
                ["Orchestrator:TaskRetention"] = "01:00:00",
                ["Orchestrator:ImagePullTimeout"] = "00:10:00",
                ["Orchestrator:RegistryAuthFile"] = null,
            },
            Bound(services));
        Assert.Equal("127.0.0.1:8080", Options<SiloDashboardOptions>(services).Endpoint.ToString());
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

    /// <summary>What the silo's services hold for each key of the contract, written as the key's value is.</summary>
    private static Dictionary<string, string?> Bound(IServiceProvider services)
    {
        var orleans = Options<SiloOrleansOptions>(services);
        var dashboard = Options<SiloDashboardOptions>(services);
        var node = Options<NodeOptions>(services);
        var jobs = Options<JobOptions>(services);
        var tasks = Options<TaskOptions>(services);
        return new()
        {
            ["Orleans:ClusterId"] = orleans.ClusterId,
            ["Orleans:ServiceId"] = orleans.ServiceId,
            ["Orleans:AdvertisedIP"] = orleans.AdvertisedIP,
            ["Orleans:SiloPort"] = Text(orleans.SiloPort),
            ["Orleans:GatewayPort"] = Text(orleans.GatewayPort),
            ["Dashboard:Port"] = Text(dashboard.Port),
            ["Dashboard:Address"] = dashboard.Address,
            ["Orchestrator:NodeName"] = node.NodeName,
            ["Orchestrator:DockerEndpoint"] = node.DockerEndpoint,
            ["Orchestrator:Runtime"] = node.Runtime.ToString().ToLowerInvariant(),
            ["Orchestrator:SimulatedNodes"] = Text(node.SimulatedNodes),
            ["Orchestrator:NodeLabels:zone"] = node.NodeLabels.GetValueOrDefault("zone"),
            ["Orchestrator:SecretsKeyFile"] = Options<SecretsOptions>(services).SecretsKeyFile,
            ["Orchestrator:SecretsMountRoot"] = node.SecretsMountRoot,
            ["Orchestrator:PortHost"] = node.PortHost,
            ["Orchestrator:DefaultScheduler"] = Options<SchedulerOptions>(services).DefaultScheduler,
            ["Orchestrator:Policy:AllowPrivileged"] = Text(node.ExecutionPolicy.AllowPrivileged),
            ["Orchestrator:Policy:AllowHostMounts"] = Text(node.ExecutionPolicy.AllowHostMounts),
            ["Orchestrator:Policy:AllowHostNetwork"] = Text(node.ExecutionPolicy.AllowHostNetwork),
            ["Orchestrator:SweepInterval"] = Text(node.SweepInterval),
            ["Orchestrator:NodeDownAfter"] = Text(node.NodeDownAfter),
            ["Orchestrator:NodeRestartGrace"] = Text(node.NodeRestartGrace),
            ["Orchestrator:NodeLossCheckInterval"] = Text(node.NodeLossCheckInterval),
            ["Orchestrator:PlacementRetry"] = Text(tasks.PlacementRetry),
            ["Orchestrator:ReconcileInterval"] = Text(jobs.ReconcileInterval),
            ["Orchestrator:RunningCheckInterval"] = Text(tasks.RunningCheckInterval),
            ["Orchestrator:RolloutCheckInterval"] = Text(jobs.RolloutCheckInterval),
            ["Orchestrator:TaskRetention"] = Text(jobs.TaskRetention),
            ["Orchestrator:ImagePullTimeout"] = Text(node.ImagePullTimeout),
            ["Orchestrator:RegistryAuthFile"] = node.RegistryAuthFile,
        };
    }

    private static string? Text(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static T Options<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
