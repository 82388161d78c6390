using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Nodes;
using Version = System.Version;

namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// The container runtime of a real machine: one Docker engine reached through its API socket.
/// Every engine call runs under a timeout, so a hung engine surfaces as a
/// <see cref="ContainerRuntimeException"/> instead of a call that never returns.
/// </summary>
public sealed partial class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    // Docker 20.10, the oldest engine this runtime is tested against.
    private static readonly Version OldestApiVersion = new(1, 41);

    // Docker 29.0's API, spoken to newer engines as the docker CLI does when it is older than the
    // engine; above the 1.44 minimum current engines accept. The tests exercise 1.41 only; the fields
    // used here (limits, port bindings, labels, state, published ports) are long-standing ones.
    private static readonly Version NewestApiVersion = new(1, 52);

    private const string TcpSuffix = "/tcp";

    private readonly Uri _endpoint;
    private readonly TimeSpan _callTimeout;
    private readonly ILogger<DockerContainerRuntime> _logger;
    private readonly RegistryCredentials _credentials;
    private readonly SecretMounts? _secrets;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private volatile DockerClient? _client;
    private bool _disposed;

    /// <param name="endpoint">The engine's API address, e.g. <c>unix:///var/run/docker.sock</c>.</param>
    /// <param name="logger">Receives a Debug line per engine call and a Warning per failure.</param>
    /// <param name="callTimeout">How long one engine call may take; <see cref="DefaultCallTimeout"/> when null.</param>
    /// <param name="credentials">Where pulls find registry credentials; none when null.</param>
    /// <param name="secrets">Where containers' secret files are kept; null refuses containers with secrets.</param>
    public DockerContainerRuntime(string endpoint, ILogger<DockerContainerRuntime> logger, TimeSpan? callTimeout = null, RegistryCredentials? credentials = null, SecretMounts? secrets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentNullException.ThrowIfNull(logger);
        _endpoint = new Uri(endpoint);
        _logger = logger;
        _callTimeout = callTimeout ?? DefaultCallTimeout;
        _credentials = credentials ?? RegistryCredentials.None;
        _secrets = secrets;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_callTimeout, TimeSpan.Zero, nameof(callTimeout));
    }

    public Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken) =>
        CallAsync("info", "engine", TimeSpan.Zero, async (client, ct) =>
        {
            var info = await client.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
            return new EngineInfo(info.NCPU, info.MemTotal, info.Name ?? "", info.ServerVersion ?? "");
        }, cancellationToken);

    public async Task<IReadOnlyList<ContainerDetails>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var parameters = new ContainersListParameters { All = true };
        if (labels.Count > 0)
        {
            // Several label filters are ANDed by the engine.
            parameters.Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = labels.ToDictionary(l => $"{l.Key}={l.Value}", _ => true),
            };
        }

        var listed = await CallAsync("list", DescribeLabels(labels), TimeSpan.Zero,
            (client, ct) => client.Containers.ListContainersAsync(parameters, ct), cancellationToken).ConfigureAwait(false);

        var details = new List<ContainerDetails>(listed.Count);
        foreach (var container in listed)
        {
            if (HasEnded(container.State))
            {
                // The list answer has no exit code, finish time or error; only ended containers need
                // them, so only those are inspected. One removed meanwhile is simply gone.
                if (await InspectAsync(container.ID, cancellationToken).ConfigureAwait(false) is { } ended)
                {
                    details.Add(ended);
                }
            }
            else
            {
                details.Add(FromListEntry(container));
            }
        }

        return details;
    }

    public Task<bool> HasImageAsync(string image, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        return CallAsync("inspect image", image, TimeSpan.Zero, async (client, ct) =>
        {
            try
            {
                await client.Images.InspectImageAsync(image, ct).ConfigureAwait(false);
                return true;
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
            {
                return false;
            }
        }, cancellationToken);
    }

    public async Task PullImageAsync(string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        var (name, tag) = SplitReference(image);
        var parameters = new ImagesCreateParameters { FromImage = name, Tag = tag };
        var progress = new PullProgress();
        try
        {
            await CallAsync("pull", image, TimeSpan.Zero, async (client, ct) =>
            {
                // Read here, not at start, so credentials changed on the machine count from the next pull.
                var auth = _credentials.For(image);
                try
                {
                    await client.Images.CreateImageAsync(parameters, auth, progress, ct).ConfigureAwait(false);
                }
                catch (DockerApiException e)
                {
                    throw new ContainerRuntimeException(ContainerRuntimeFailure.ImagePullFailed, $"pull of {image} failed: {EngineMessage(e)}", e);
                }
                // Once the pull has begun, the engine answers 200 and reports a failure in the stream instead.
                return progress.Error is { } error
                    ? throw new ContainerRuntimeException(ContainerRuntimeFailure.ImagePullFailed, $"pull of {image} failed: {error}")
                    : true;
            }, cancellationToken, timeout).ConfigureAwait(false);
        }
        catch (ContainerRuntimeException e) when (e.Failure == ContainerRuntimeFailure.Timeout && !cancellationToken.IsCancellationRequested)
        {
            // A slow registry is not a sick engine: the pull failed, the node stays available.
            throw new ContainerRuntimeException(ContainerRuntimeFailure.ImagePullFailed,
                $"pull of {image} did not finish within {timeout.TotalSeconds:0.###} s", e);
        }
    }

    public async Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = ToCreateParameters(request);
        var node = request.Labels.GetValueOrDefault(ContainerLabels.Node, "");
        if (request.Secrets.Count > 0)
        {
            var secrets = _secrets ?? throw new ContainerRuntimeException(ContainerRuntimeFailure.Engine, "this node's runtime has no folder for secrets");
            // Before the first await: a node's sweep dropping secrets on the same grain turn never sees half of this.
            parameters.HostConfig!.Binds = [.. parameters.HostConfig.Binds ?? [], secrets.Write(node, request.Name, request.Secrets)];
        }
        var created = await CreateContainerAsync(request, parameters, node, cancellationToken).ConfigureAwait(false);
        foreach (var warning in created.Warnings ?? [])
        {
            LogEngineWarning(request.Name, warning);
        }

        return created.ID;
    }

    public Task DropSecretsAsync(string node, Func<string, bool> keep, CancellationToken cancellationToken)
    {
        _secrets?.Drop(node, keep);
        return Task.CompletedTask;
    }

    private async Task<CreateContainerResponse> CreateContainerAsync(ContainerCreateRequest request, CreateContainerParameters parameters, string node, CancellationToken cancellationToken)
    {
        try
        {
            return await CallCreateAsync(request, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (request.Secrets.Count > 0)
        {
            _secrets?.Drop(node, name => name != request.Name);
            throw;
        }
    }

    private Task<CreateContainerResponse> CallCreateAsync(ContainerCreateRequest request, CreateContainerParameters parameters, CancellationToken cancellationToken) =>
        CallAsync("create", request.Name, TimeSpan.Zero, async (client, ct) =>
        {
            try
            {
                return await client.Containers.CreateContainerAsync(parameters, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
            {
                throw new ContainerRuntimeException(ContainerRuntimeFailure.ImageNotFound,
                    $"Image '{request.Image}' is not on the Docker engine at {_endpoint}. Engine: {EngineMessage(e)}", e);
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.Conflict)
            {
                throw new ContainerRuntimeException(ContainerRuntimeFailure.NameConflict,
                    $"A container named '{request.Name}' already exists on the Docker engine at {_endpoint}. Engine: {EngineMessage(e)}", e);
            }
        }, cancellationToken);

    public async Task StartAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        await CallAsync("start", containerId, TimeSpan.Zero, async (client, ct) =>
        {
            try
            {
                return await client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), ct).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException e)
            {
                throw new ContainerRuntimeException(ContainerRuntimeFailure.ContainerNotFound,
                    $"Cannot start container {containerId}: the Docker engine at {_endpoint} has no such container. Engine: {EngineMessage(e)}", e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        return CallAsync("inspect", containerId, TimeSpan.Zero, async (client, ct) =>
        {
            try
            {
                var inspected = await client.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
                return FromInspect(inspected);
            }
            catch (DockerContainerNotFoundException)
            {
                return null;
            }
        }, cancellationToken);
    }

    public async Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var graceSeconds = (uint)Math.Ceiling(Math.Max(grace.TotalSeconds, 0));
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = graceSeconds };
        // The engine itself waits up to the grace period before it kills, so the call may take that long.
        await CallAsync("stop", containerId, TimeSpan.FromSeconds(graceSeconds), async (client, ct) =>
        {
            try
            {
                // False means the container was already stopped: nothing to do.
                return await client.Containers.StopContainerAsync(containerId, parameters, ct).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var parameters = new ContainerRemoveParameters { Force = true, RemoveVolumes = true };
        await CallAsync("remove", containerId, TimeSpan.Zero, async (client, ct) =>
        {
            try
            {
                await client.Containers.RemoveContainerAsync(containerId, parameters, ct).ConfigureAwait(false);
                return true;
            }
            catch (DockerContainerNotFoundException)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ContainerEvent> WatchAsync(
        IReadOnlyDictionary<string, string> labels,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["event"] = new Dictionary<string, bool> { [ContainerEvent.Die] = true },
        };
        if (labels.Count > 0)
        {
            filters["label"] = labels.ToDictionary(l => $"{l.Key}={l.Value}", _ => true);
        }

        var client = await ConnectAsync("events", DescribeLabels(labels), cancellationToken).ConfigureAwait(false);
        var events = Channel.CreateUnbounded<ContainerEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = MonitorAsync(client, new ContainerEventsParameters { Filters = filters }, events.Writer, stop.Token);
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<LogChunk> ReadLogsAsync(string containerId, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var client = await ConnectAsync("logs", containerId, cancellationToken).ConfigureAwait(false);
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = follow };
        MultiplexedStream stream;
        // The answer is awaited under the call timeout, as any call (a hung engine never sends one); the stream
        // it opens is not: a followed log legitimately stays open as long as the container runs.
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(_callTimeout);
        try
        {
            stream = await client.Containers.GetContainerLogsAsync(containerId, parameters, answer.Token).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException e)
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.ContainerNotFound,
                $"No logs: the Docker engine at {_endpoint} has no container {containerId}.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed("logs", containerId, new ContainerRuntimeException(ContainerRuntimeFailure.Timeout,
                $"Docker logs of {containerId} got no answer from the engine at {_endpoint} within {_callTimeout.TotalSeconds:0.###} s.",
                new TimeoutException(e.Message, e)));
        }
        answer.CancelAfter(Timeout.InfiniteTimeSpan);

        using (stream)
        {
            // One decoder per stream, so a character split across two frames is decoded whole.
            var stdout = Encoding.UTF8.GetDecoder();
            var stderr = Encoding.UTF8.GetDecoder();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    yield break;
                }

                var isError = read.Target == MultiplexedStream.TargetStream.StandardError;
                var decoder = isError ? stderr : stdout;
                var chars = new char[decoder.GetCharCount(buffer, 0, read.Count)];
                var count = decoder.GetChars(buffer, 0, read.Count, chars, 0);
                if (count > 0)
                {
                    yield return new LogChunk(isError ? LogSource.Stderr : LogSource.Stdout, new string(chars, 0, count));
                }
            }
        }
    }

    public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(command);
        return CallAsync("exec", containerId, TimeSpan.Zero, async (client, ct) =>
        {
            ContainerExecCreateResponse created;
            try
            {
                created = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
                {
                    Cmd = command.ToList(),
                    AttachStdout = true,
                    AttachStderr = true,
                }, ct).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException e)
            {
                throw new ContainerRuntimeException(ContainerRuntimeFailure.ContainerNotFound,
                    $"Cannot exec in container {containerId}: the Docker engine at {_endpoint} has no such container.", e);
            }

            string output;
            using (var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), ct).ConfigureAwait(false))
            {
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct).ConfigureAwait(false);
                output = stdout + stderr;
            }

            // The output ends a moment before the engine records the exit code.
            var inspected = await client.Exec.InspectContainerExecAsync(created.ID, ct).ConfigureAwait(false);
            while (inspected.Running)
            {
                await Task.Delay(20, ct).ConfigureAwait(false);
                inspected = await client.Exec.InspectContainerExecAsync(created.ID, ct).ConfigureAwait(false);
            }

            return new ExecResult(inspected.ExitCode ?? -1, output);
        }, cancellationToken);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client?.Dispose();
        _negotiation.Dispose();
    }

    private async Task<T> CallAsync<T>(
        string operation,
        string target,
        TimeSpan extraTime,
        Func<DockerClient, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        TimeSpan? callTimeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LogCall(operation, target);
        var allowed = callTimeout ?? _callTimeout + extraTime;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(allowed);
        try
        {
            var client = await GetClientAsync(timeout.Token).ConfigureAwait(false);
            return await call(client, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, target, new ContainerRuntimeException(ContainerRuntimeFailure.Timeout,
                $"Docker {operation} of {target} got no answer from the engine at {_endpoint} within {allowed.TotalSeconds:0.###} s.",
                new TimeoutException(e.Message, e)));
        }
        catch (ContainerRuntimeException e)
        {
            throw Failed(operation, target, e);
        }
        catch (DockerApiException e)
        {
            throw Failed(operation, target, new ContainerRuntimeException(ContainerRuntimeFailure.Engine,
                $"Docker {operation} of {target} failed on the engine at {_endpoint} ({(int)e.StatusCode} {e.StatusCode}): {EngineMessage(e)}", e));
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            throw Failed(operation, target, new ContainerRuntimeException(ContainerRuntimeFailure.Unreachable,
                $"Docker {operation} of {target}: cannot reach the engine at {_endpoint}: {e.Message}", e));
        }
    }

    private ContainerRuntimeException Failed(string operation, string target, ContainerRuntimeException failure)
    {
        LogCallFailed(operation, target, failure.Failure, failure.Message);
        return failure;
    }

    // The negotiated client, reached under the call timeout, for a stream that then stays open.
    private Task<DockerClient> ConnectAsync(string operation, string target, CancellationToken cancellationToken) =>
        CallAsync(operation, target, TimeSpan.Zero, (client, _) => Task.FromResult(client), cancellationToken);

    private async Task MonitorAsync(DockerClient client, ContainerEventsParameters parameters, ChannelWriter<ContainerEvent> writer, CancellationToken cancellationToken)
    {
        try
        {
            await client.System.MonitorEventsAsync(parameters, new EventForwarder(writer), cancellationToken).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            writer.TryComplete();
        }
#pragma warning disable CA1031 // Whatever ended the stream goes to its reader, who subscribes again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCallFailed("events", DescribeFilters(parameters), ContainerRuntimeFailure.Unreachable, e.Message);
            writer.TryComplete(new ContainerRuntimeException(ContainerRuntimeFailure.Unreachable,
                $"The event stream of the Docker engine at {_endpoint} broke: {e.Message}", e));
        }
    }

    private static string DescribeFilters(ContainerEventsParameters parameters) =>
        string.Join(",", (parameters.Filters ?? new Dictionary<string, IDictionary<string, bool>>()).SelectMany(f => f.Value.Keys.Select(v => $"{f.Key}={v}")));

    private static ContainerEvent ToEvent(Message message)
    {
        var attributes = message.Actor?.Attributes ?? new Dictionary<string, string>();
        var time = message.TimeNano is { } nanos
            ? DateTimeOffset.UnixEpoch.AddTicks(nanos / 100)
            : DateTimeOffset.FromUnixTimeSeconds(message.Time ?? 0);
        // The engine copies the container's labels into the event's attributes (beside name, image, exitCode).
        return new ContainerEvent(message.Actor?.ID ?? "", message.Action ?? "", new Dictionary<string, string>(attributes), time);
    }

    /// <summary>
    /// An image reference as the engine's pull takes it: the name, and the tag or digest; a reference with neither
    /// means <c>latest</c>, since an empty tag would pull every tag of the repository.
    /// </summary>
    private static (string Name, string Tag) SplitReference(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Keeps the first error the engine reports in a pull's progress stream; called on the reading thread.</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (Error is null && value.Error is { Message: { Length: > 0 } message })
            {
                Error = message;
            }
        }
    }

    /// <summary>Hands each event message to the channel as the engine's stream delivers it.</summary>
    private sealed class EventForwarder(ChannelWriter<ContainerEvent> writer) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (!string.IsNullOrEmpty(value.Actor?.ID))
            {
                writer.TryWrite(ToEvent(value));
            }
        }
    }

    /// <summary>
    /// Asks the engine, once, which API versions it speaks and pins the newest both sides know, so
    /// requests never use a version the engine refuses (current engines refuse anything below 1.44).
    /// </summary>
    private async Task<DockerClient> GetClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { } negotiated)
            {
                return negotiated;
            }

            VersionResponse version;
            using (var unversioned = BuildClient(apiVersion: null))
            {
                version = await unversioned.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            }

            var apiVersion = ChooseApiVersion(version);
            LogNegotiated(_endpoint, version.Version, version.APIVersion, version.MinAPIVersion, apiVersion);
            _client = BuildClient(apiVersion);
            return _client;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    private Version ChooseApiVersion(VersionResponse version)
    {
        if (!Version.TryParse(version.APIVersion, out var engineNewest))
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.UnsupportedEngine,
                $"The Docker engine at {_endpoint} reports no readable API version ('{version.APIVersion}').");
        }

        var engineOldest = Version.TryParse(version.MinAPIVersion, out var parsed) ? parsed : engineNewest;
        var chosen = engineNewest < NewestApiVersion ? engineNewest : NewestApiVersion;
        if (chosen < OldestApiVersion || chosen < engineOldest)
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.UnsupportedEngine,
                $"The Docker engine at {_endpoint} (version {version.Version}) speaks API {engineOldest}–{engineNewest}; " +
                $"this runtime speaks {OldestApiVersion}–{NewestApiVersion}.");
        }

        return chosen;
    }

    // The client's own timeout stays off: CallAsync times every call, including stops that
    // legitimately take the grace period.
    private DockerClient BuildClient(Version? apiVersion) =>
        new DockerClientBuilder()
            .WithEndpoint(_endpoint)
            .WithApiVersion(apiVersion)
            .WithTimeout(Timeout.InfiniteTimeSpan)
            .Build();

    private static CreateContainerParameters ToCreateParameters(ContainerCreateRequest request)
    {
        var bindings = request.Ports
            .GroupBy(p => p.Container.ToString(CultureInfo.InvariantCulture) + TcpSuffix)
            .ToDictionary(
                g => g.Key,
                g => (IList<PortBinding>)g.Select(p => new PortBinding
                {
                    HostIP = request.PortHost,
                    // An empty host port lets the engine pick a free one.
                    HostPort = p.Host == 0 ? "" : p.Host.ToString(CultureInfo.InvariantCulture),
                }).ToList());

        var parameters = new CreateContainerParameters
        {
            Name = request.Name,
            Image = request.Image,
            Env = request.Env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = request.Labels.ToDictionary(l => l.Key, l => l.Value),
            ExposedPorts = bindings.Keys.ToDictionary(k => k, _ => new EmptyStruct()),
            HostConfig = new HostConfig
            {
                NanoCPUs = (long)Math.Round(request.Cpus * 1e9),
                Memory = request.MemoryBytes,
                PortBindings = bindings,
                Privileged = request.Privileged,
                CapAdd = request.CapAdd.ToList(),
                Binds = request.Binds.ToList(),
            },
        };

        // Left unset, the image's own command and the engine's default network apply.
        if (request.Command is not null)
        {
            parameters.Cmd = request.Command.ToList();
        }

        if (request.NetworkMode is not null)
        {
            parameters.HostConfig.NetworkMode = request.NetworkMode;
        }

        return parameters;
    }

    private static ContainerDetails FromListEntry(ContainerListResponse container) => new()
    {
        Id = container.ID,
        Name = container.Names?.FirstOrDefault()?.TrimStart('/') ?? "",
        Labels = ReadOnly(container.Labels),
        // The engine counts paused and restarting containers as running, as inspect does.
        Running = container.State is "running" or "paused" or "restarting",
        State = container.State ?? "",
        Ports = (container.Ports ?? [])
            .Where(p => p.PublicPort is > 0 && p.Type == "tcp")
            .Select(p => new PortMapping(p.PrivatePort, p.PublicPort!.Value))
            .Distinct()
            .ToList(),
    };

    private static ContainerDetails FromInspect(ContainerInspectResponse container)
    {
        var state = container.State;
        return new ContainerDetails
        {
            Id = container.ID,
            Name = container.Name?.TrimStart('/') ?? "",
            Labels = ReadOnly(container.Config?.Labels),
            Running = state?.Running ?? false,
            State = state?.Status ?? "",
            ExitCode = state is not null && HasEnded(state.Status) ? (int)state.ExitCode : null,
            OomKilled = state?.OOMKilled ?? false,
            Error = string.IsNullOrEmpty(state?.Error) ? null : state.Error,
            StartedAt = ParseEngineTime(state?.StartedAt),
            FinishedAt = ParseEngineTime(state?.FinishedAt),
            Ports = BoundPorts(container.NetworkSettings?.Ports),
        };
    }

    private static List<PortMapping> BoundPorts(IDictionary<string, IList<PortBinding>>? ports) =>
        (ports ?? new Dictionary<string, IList<PortBinding>>())
            .Where(p => p.Key.EndsWith(TcpSuffix, StringComparison.Ordinal) && p.Value is not null)
            .SelectMany(p => p.Value.Select(b => (Container: p.Key[..^TcpSuffix.Length], b.HostPort)))
            .Select(p => int.TryParse(p.Container, CultureInfo.InvariantCulture, out var container)
                && int.TryParse(p.HostPort, CultureInfo.InvariantCulture, out var host) && host > 0
                    ? new PortMapping(container, host)
                    : null)
            .OfType<PortMapping>()
            .Distinct()
            .ToList();

    private static bool HasEnded(string? state) => state is "exited" or "dead";

    private static Dictionary<string, string> ReadOnly(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels);

    // The engine writes the zero time for "never".
    private static DateTimeOffset? ParseEngineTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1
            ? time
            : null;

    private static string EngineMessage(DockerApiException exception)
    {
        var body = exception.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return $"HTTP {(int)exception.StatusCode} with no message";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw body is the message.
        }

        return body;
    }

    private static string DescribeLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "all containers" : "containers labelled " + string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Docker {Operation} {Target}")]
    private partial void LogCall(string operation, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker {Operation} {Target} failed ({Failure}): {Reason}")]
    private partial void LogCallFailed(string operation, string target, ContainerRuntimeFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker engine warned while creating {Name}: {Warning}")]
    private partial void LogEngineWarning(string name, string warning);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Docker engine at {Endpoint} is version {EngineVersion}, API {EngineApi} (minimum {EngineMinApi}); using API {ApiVersion}")]
    private partial void LogNegotiated(Uri endpoint, string engineVersion, string engineApi, string? engineMinApi, Version apiVersion);
}
