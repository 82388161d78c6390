using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Grains.Nodes.Runtime;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>The Docker runtime against the real engine of the test machine.</summary>
public sealed class DockerContainerRuntimeTests : IClassFixture<DockerTestEngine>, IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    private readonly DockerTestEngine _engine;
    private readonly DockerContainerRuntime _runtime;

    public DockerContainerRuntimeTests(DockerTestEngine engine)
    {
        _engine = engine;
        _runtime = engine.CreateRuntime();
    }

    public void Dispose() => _runtime.Dispose();

    [Fact]
    public async Task Engine_info_reports_the_machines_cpus_and_memory()
    {
        var info = await _runtime.GetEngineInfoAsync(CancellationToken.None);

        Assert.True(info.Cpus > 0, $"CPUs {info.Cpus}");
        Assert.True(info.MemoryBytes > 0, $"memory {info.MemoryBytes}");
        Assert.False(string.IsNullOrEmpty(info.Version));
    }

    [Fact]
    public async Task A_started_container_runs_with_the_requested_limits_and_labels()
    {
        await using var scope = _engine.NewScope();
        var labels = scope.LabelsWith(new Dictionary<string, string> { ["orch.job"] = "limits" });

        var id = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name("limits"),
            Image = MainEngine.TestImage,
            Command = ["sleep", "300"],
            Env = new Dictionary<string, string> { ["GREETING"] = "hi" },
            Labels = labels,
            Cpus = 0.25,
            MemoryBytes = 64L << 20,
        }, CancellationToken.None);
        await _runtime.StartAsync(id, CancellationToken.None);

        var details = await _runtime.InspectAsync(id, CancellationToken.None);
        Assert.NotNull(details);
        Assert.True(details.Running);
        Assert.Equal("running", details.State);
        Assert.Equal(scope.Name("limits"), details.Name);
        Assert.Null(details.ExitCode);
        Assert.NotNull(details.StartedAt);
        Assert.Equal("limits", details.Labels["orch.job"]);
        Assert.Equal(scope.Id, details.Labels[DockerTestEngine.ScopeLabel]);

        var raw = await _engine.Client.Containers.InspectContainerAsync(id);
        Assert.NotNull(raw.HostConfig);
        Assert.Equal(250_000_000, raw.HostConfig.NanoCPUs);
        Assert.Equal(64L << 20, raw.HostConfig.Memory);
        Assert.NotNull(raw.Config);
        Assert.Contains("GREETING=hi", raw.Config.Env);
    }

    [Fact]
    public async Task A_port_published_on_host_port_zero_gets_a_real_port_that_serves_http()
    {
        await using var scope = _engine.NewScope();

        var id = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name("web"),
            Image = MainEngine.TestImage,
            Command = ["httpd", "-f", "-p", "8080", "-h", "/www"],
            Labels = scope.Labels,
            Cpus = 0.25,
            MemoryBytes = 32L << 20,
            Ports = [new PortMapping(8080, 0)],
            PortHost = "127.0.0.1",
        }, CancellationToken.None);
        await _runtime.StartAsync(id, CancellationToken.None);

        var details = await _runtime.InspectAsync(id, CancellationToken.None);
        Assert.NotNull(details);
        var port = Assert.Single(details.Ports);
        Assert.Equal(8080, port.Container);
        Assert.True(port.Host > 0, $"host port {port.Host}");

        var body = await GetWhenServingAsync(new Uri($"http://127.0.0.1:{port.Host}/"));
        Assert.Equal("hello", body.Trim());
    }

    [Fact]
    public async Task A_container_that_exits_reports_its_exit_code()
    {
        await using var scope = _engine.NewScope();

        var id = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name("exit3"),
            Image = MainEngine.TestImage,
            Command = ["sh", "-c", "exit 3"],
            Labels = scope.Labels,
        }, CancellationToken.None);
        await _runtime.StartAsync(id, CancellationToken.None);

        var ended = await WaitUntilEndedAsync(id);
        Assert.False(ended.Running);
        Assert.Equal("exited", ended.State);
        Assert.Equal(3, ended.ExitCode);
        Assert.NotNull(ended.FinishedAt);
    }

    [Fact]
    public async Task List_returns_exactly_the_containers_carrying_all_labels_including_exited_ones()
    {
        await using var scope = _engine.NewScope();
        var wanted = scope.LabelsWith(new Dictionary<string, string> { ["orch.job"] = "listed" });
        var decoy = scope.LabelsWith(new Dictionary<string, string> { ["orch.job"] = "other" });

        var running = await CreateAndStartAsync(scope.Name("running"), wanted, ["sleep", "300"], [new PortMapping(8080, 0)]);
        var exited = await CreateAndStartAsync(scope.Name("exited"), wanted, ["sh", "-c", "exit 7"], []);
        var created = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name("created"),
            Image = MainEngine.TestImage,
            Command = ["sleep", "300"],
            Labels = wanted,
        }, CancellationToken.None);
        await CreateAndStartAsync(scope.Name("decoy"), decoy, ["sleep", "300"], []);
        await WaitUntilEndedAsync(exited);

        var listed = await _runtime.ListAsync(wanted, CancellationToken.None);

        Assert.Equal(new[] { created, exited, running }.Order(), listed.Select(c => c.Id).Order());
        var runningDetails = listed.Single(c => c.Id == running);
        Assert.True(runningDetails.Running);
        Assert.Equal("running", runningDetails.State);
        Assert.Equal(scope.Name("running"), runningDetails.Name);
        Assert.Null(runningDetails.ExitCode);
        var port = Assert.Single(runningDetails.Ports);
        Assert.Equal(8080, port.Container);
        Assert.True(port.Host > 0, $"host port {port.Host}");
        var inspected = await _runtime.InspectAsync(running, CancellationToken.None);
        Assert.Equal(inspected!.Ports, runningDetails.Ports);

        var exitedDetails = listed.Single(c => c.Id == exited);
        Assert.False(exitedDetails.Running);
        Assert.Equal("exited", exitedDetails.State);
        Assert.Equal(7, exitedDetails.ExitCode);
        Assert.Equal("listed", exitedDetails.Labels["orch.job"]);

        var createdDetails = listed.Single(c => c.Id == created);
        Assert.False(createdDetails.Running);
        Assert.Equal("created", createdDetails.State);
        Assert.Null(createdDetails.ExitCode);
    }

    [Fact]
    public async Task Stop_then_remove_ends_a_container_and_repeating_either_is_harmless()
    {
        await using var scope = _engine.NewScope();
        var id = await CreateAndStartAsync(scope.Name("stopped"), scope.Labels, ["sleep", "300"], []);

        await _runtime.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
        var stopped = await _runtime.InspectAsync(id, CancellationToken.None);
        Assert.NotNull(stopped);
        Assert.False(stopped.Running);
        Assert.Equal("exited", stopped.State);
        Assert.NotNull(stopped.ExitCode);

        await _runtime.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
        await _runtime.RemoveAsync(id, CancellationToken.None);
        Assert.Null(await _runtime.InspectAsync(id, CancellationToken.None));
        await _runtime.RemoveAsync(id, CancellationToken.None);
    }

    [Fact]
    public async Task Stop_and_remove_of_a_missing_container_do_not_throw_and_inspect_returns_null()
    {
        const string missing = "orch-test-no-such-container";

        await _runtime.StopAsync(missing, TimeSpan.FromSeconds(1), CancellationToken.None);
        await _runtime.RemoveAsync(missing, CancellationToken.None);
        Assert.Null(await _runtime.InspectAsync(missing, CancellationToken.None));
    }

    [Fact]
    public async Task Creating_from_a_missing_image_fails_quickly_naming_the_image()
    {
        await using var scope = _engine.NewScope();
        const string image = "orch-test/no-such-image:latest";
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name("noimage"),
            Image = image,
            Labels = scope.Labels,
        }, CancellationToken.None));

        Assert.Equal(ContainerRuntimeFailure.ImageNotFound, failure.Failure);
        Assert.Contains(image, failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Creating_a_second_container_with_the_same_name_fails_with_a_name_conflict()
    {
        await using var scope = _engine.NewScope();
        var request = new ContainerCreateRequest
        {
            Name = scope.Name("twice"),
            Image = MainEngine.TestImage,
            Command = ["sleep", "300"],
            Labels = scope.Labels,
        };
        await _runtime.CreateAsync(request, CancellationToken.None);

        var failure = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateAsync(request, CancellationToken.None));

        Assert.Equal(ContainerRuntimeFailure.NameConflict, failure.Failure);
        Assert.Contains(request.Name, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_socket_that_does_not_exist_fails_as_unreachable()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"orch-test-{Guid.NewGuid():N}.sock");
        using var runtime = new DockerContainerRuntime($"unix://{socket}",
            NullLogger<DockerContainerRuntime>.Instance, TimeSpan.FromSeconds(5));

        var failure = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.GetEngineInfoAsync(CancellationToken.None));

        Assert.Equal(ContainerRuntimeFailure.Unreachable, failure.Failure);
        Assert.Contains(socket, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_never_answers_fails_after_the_call_timeout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orch-test-{Guid.NewGuid():N}.sock");
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(path));
        silent.Listen();
        try
        {
            using var runtime = new DockerContainerRuntime($"unix://{path}",
                NullLogger<DockerContainerRuntime>.Instance, TimeSpan.FromMilliseconds(500));
            var clock = Stopwatch.StartNew();

            var failure = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.InspectAsync("anything", CancellationToken.None));

            Assert.Equal(ContainerRuntimeFailure.Timeout, failure.Failure);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<string> CreateAndStartAsync(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> command, IReadOnlyList<PortMapping> ports)
    {
        var id = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = name,
            Image = MainEngine.TestImage,
            Command = command,
            Labels = labels,
            Ports = ports,
        }, CancellationToken.None);
        await _runtime.StartAsync(id, CancellationToken.None);
        return id;
    }

    private async Task<ContainerDetails> WaitUntilEndedAsync(string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var details = await _runtime.InspectAsync(id, CancellationToken.None);
            Assert.NotNull(details);
            if (details.State is "exited" or "dead")
            {
                return details;
            }

            Assert.True(clock.Elapsed < WaitLimit, $"container {id} still {details.State} after {WaitLimit}");
            await Task.Delay(100);
        }
    }

    private static async Task<string> GetWhenServingAsync(Uri address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await http.GetStringAsync(address);
            }
            catch (HttpRequestException) when (clock.Elapsed < WaitLimit)
            {
                // The server inside the container may not be listening yet.
            }
            catch (TaskCanceledException) when (clock.Elapsed < WaitLimit)
            {
                // Nor answering yet.
            }

            await Task.Delay(200);
        }
    }
}
