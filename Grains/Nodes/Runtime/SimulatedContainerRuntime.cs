using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// A container runtime that starts nothing: containers are records that "run" until stopped. For grain
/// tests and the control-plane scale benchmark (<c>Orchestrator:Runtime=simulated</c>), never a
/// substitute for the Docker tests. Tests make containers exit (<see cref="Exit"/>, which raises a
/// <c>die</c> event as the engine would), write output (<see cref="WriteOutput"/>) and decide what
/// commands run inside them answer (<see cref="ExecHandler"/>). Every image is there until a test removes it
/// (<see cref="RemoveImage"/>); a pull brings it back, after <see cref="PullHandler"/> lets it.
/// </summary>
public sealed class SimulatedContainerRuntime : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, ContainerDetails> _containers = new();
    // Container ids by their node label: one silo may host many simulated nodes, each listing only its own every sweep.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byNode = new(StringComparer.Ordinal);
    // And by their task label: every start lists the task's containers, and scanning the node's for it was a tenth of a
    // silo's CPU in the scale benchmark, where an engine answers such a filtered list itself.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byTask = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LogChunk>> _output = new();
    private readonly ConcurrentDictionary<ChannelWriter<ContainerEvent>, IReadOnlyDictionary<string, string>> _watchers = new();
    private readonly ConcurrentDictionary<string, byte> _absentImages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pulls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<SecretFile>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _env = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _stopGraces = new(StringComparer.Ordinal);
    private readonly EngineInfo _engine;
    private int _nextId;
    private int _nextPort = 40000;

    public SimulatedContainerRuntime(double cpus = 4, long memoryBytes = 8L << 30, string name = "simulated")
    {
        _engine = new EngineInfo(cpus, memoryBytes, name, "simulated");
    }

    /// <summary>What a command run in a container answers; by default every command succeeds silently.</summary>
    public Func<string, IReadOnlyList<string>, ExecResult> ExecHandler { get; set; } = (_, _) => new ExecResult(0, "");

    /// <summary>
    /// What a pull does before the image is there: by default nothing. A test delays it, or throws a
    /// <see cref="ContainerRuntimeException"/> (<see cref="ContainerRuntimeFailure.ImagePullFailed"/>) to fail it.
    /// </summary>
    public Func<string, CancellationToken, Task> PullHandler { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Takes the image off the engine: creating a container from it fails until a pull brings it back.</summary>
    public void RemoveImage(string image) => _absentImages[image] = 0;

    /// <summary>How many pulls of the image began.</summary>
    public int PullCount(string image) => _pulls.GetValueOrDefault(image);

    /// <summary>The secret files the container was created with, while its runtime keeps them; empty once dropped.</summary>
    public IReadOnlyList<SecretFile> SecretsOf(string containerId) => _secrets.GetValueOrDefault(containerId) ?? [];

    /// <summary>The environment the container was created with, until it is removed.</summary>
    public IReadOnlyDictionary<string, string> EnvOf(string containerId) => _env.GetValueOrDefault(containerId) ?? new Dictionary<string, string>();

    /// <summary>The grace the container's last stop gave it between SIGTERM and SIGKILL; null when it was never stopped.</summary>
    public TimeSpan? StopGraceOf(string containerId) => _stopGraces.TryGetValue(containerId, out var grace) ? grace : null;

    /// <summary>While true, every container call fails as against an engine that is down; containers are kept.</summary>
    public bool Unreachable { get; set; }

    public Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken) => Task.FromResult(_engine);

    public Task<IReadOnlyList<ContainerDetails>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        var candidates = Indexed(labels, ContainerLabels.Task, _byTask) ?? Indexed(labels, ContainerLabels.Node, _byNode) ?? _containers.Values;
        IReadOnlyList<ContainerDetails> matching = candidates.Where(c => Carries(c.Labels, labels)).ToList();
        return Task.FromResult(matching);
    }

    public Task<bool> HasImageAsync(string image, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.FromResult(!_absentImages.ContainsKey(image));
    }

    public async Task PullImageAsync(string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        _pulls.AddOrUpdate(image, 1, (_, n) => n + 1);
        await PullHandler(image, cancellationToken);
        _absentImages.TryRemove(image, out _);
    }

    public Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnreachable();
        if (_absentImages.ContainsKey(request.Image))
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.ImageNotFound, $"no such image: {request.Image}");
        }
        var id = Interlocked.Increment(ref _nextId).ToString("x12", CultureInfo.InvariantCulture);
        var ports = request.Ports
            .Select(p => new PortMapping(p.Container, p.Host != 0 ? p.Host : Interlocked.Increment(ref _nextPort)))
            .ToList();
        _containers[id] = new ContainerDetails { Id = id, Name = request.Name, Labels = request.Labels, State = "created", Ports = ports };
        Index(request.Labels, ContainerLabels.Node, _byNode, id);
        Index(request.Labels, ContainerLabels.Task, _byTask, id);
        _output[id] = new ConcurrentQueue<LogChunk>();
        _env[id] = request.Env;
        if (request.Secrets.Count > 0)
        {
            _secrets[id] = request.Secrets;
        }
        return Task.FromResult(id);
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        Update(containerId, c => c with { Running = true, State = "running", StartedAt = DateTimeOffset.UtcNow, ExitCode = null });
        return Task.CompletedTask;
    }

    public Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.FromResult(_containers.TryGetValue(containerId, out var c) ? c : null);
    }

    public Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        _stopGraces[containerId] = grace;
        Exit(containerId, 137);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (_containers.TryRemove(containerId, out var removed))
        {
            Unindex(removed.Labels, ContainerLabels.Node, _byNode, containerId);
            Unindex(removed.Labels, ContainerLabels.Task, _byTask, containerId);
        }
        _output.TryRemove(containerId, out _);
        _env.TryRemove(containerId, out _);
        _secrets.TryRemove(containerId, out _);
        return Task.CompletedTask;
    }

    private static void Index(IReadOnlyDictionary<string, string> labels, string label, ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> index, string id)
    {
        if (labels.TryGetValue(label, out var value))
        {
            index.GetOrAdd(value, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[id] = 0;
        }
    }

    private static void Unindex(IReadOnlyDictionary<string, string> labels, string label, ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> index, string id)
    {
        if (labels.TryGetValue(label, out var value) && index.TryGetValue(value, out var ids))
        {
            ids.TryRemove(id, out _);
        }
    }

    /// <summary>The containers an index holds under the label's value, when <paramref name="labels"/> ask for that label; else null.</summary>
    private IEnumerable<ContainerDetails>? Indexed(IReadOnlyDictionary<string, string> labels, string label, ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> index) =>
        !labels.TryGetValue(label, out var value) ? null
        : index.TryGetValue(value, out var ids) ? ids.Keys.Select(id => _containers.GetValueOrDefault(id)).OfType<ContainerDetails>()
        : [];

    public Task DropSecretsAsync(string node, Func<string, bool> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var ids = _byNode.TryGetValue(node, out var own) ? own.Keys : [];
        foreach (var id in ids.Where(id => _secrets.ContainsKey(id) && _containers.TryGetValue(id, out var c) && !keep(c.Name)))
        {
            _secrets.TryRemove(id, out _);
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ContainerEvent> WatchAsync(IReadOnlyDictionary<string, string> labels, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var events = Channel.CreateUnbounded<ContainerEvent>();
        _watchers[events.Writer] = labels;
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            _watchers.TryRemove(events.Writer, out _);
        }
    }

    public async IAsyncEnumerable<LogChunk> ReadLogsAsync(string containerId, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_output.TryGetValue(containerId, out var output))
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.ContainerNotFound, $"no container {containerId}");
        }
        var sent = 0;
        while (true)
        {
            foreach (var chunk in output.Skip(sent).ToList())
            {
                sent++;
                yield return chunk;
            }
            var running = _containers.TryGetValue(containerId, out var container) && container.Running;
            if (!follow || !running)
            {
                yield break;
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        _containers.TryGetValue(containerId, out var c) && c.Running
            ? Task.FromResult(ExecHandler(containerId, command))
            : Task.FromException<ExecResult>(new ContainerRuntimeException(ContainerRuntimeFailure.ContainerNotFound, $"container {containerId} is not running"));

    /// <summary>Makes a container end with <paramref name="exitCode"/>, as if its process exited, and raises its <c>die</c> event.</summary>
    public void Exit(string containerId, int exitCode)
    {
        if (!_containers.TryGetValue(containerId, out var current) || !current.Running)
        {
            return;
        }
        _containers[containerId] = current with { Running = false, State = "exited", ExitCode = exitCode, FinishedAt = DateTimeOffset.UtcNow };
        var died = new ContainerEvent(containerId, ContainerEvent.Die, current.Labels, DateTimeOffset.UtcNow);
        foreach (var (writer, labels) in _watchers)
        {
            if (Carries(current.Labels, labels))
            {
                writer.TryWrite(died);
            }
        }
    }

    /// <summary>Appends to a container's output, as if its process wrote it.</summary>
    public void WriteOutput(string containerId, LogSource source, string text)
    {
        if (_output.TryGetValue(containerId, out var output))
        {
            output.Enqueue(new LogChunk(source, text));
        }
    }

    private void ThrowIfUnreachable()
    {
        if (Unreachable)
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.Unreachable, $"cannot reach the simulated engine {_engine.Name}");
        }
    }

    private static bool Carries(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> wanted) =>
        wanted.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);

    private void Update(string containerId, Func<ContainerDetails, ContainerDetails> change)
    {
        if (_containers.TryGetValue(containerId, out var current))
        {
            _containers[containerId] = change(current);
        }
    }
}
