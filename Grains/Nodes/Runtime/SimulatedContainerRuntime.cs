using System.Collections.Concurrent;
using System.Globalization;

namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// A container runtime that starts nothing: containers are records that "run" until stopped. For grain
/// tests and the control-plane scale benchmark (<c>Orchestrator:Runtime=simulated</c>), never a
/// substitute for the Docker tests.
/// </summary>
public sealed class SimulatedContainerRuntime : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, ContainerDetails> _containers = new();
    private readonly EngineInfo _engine;
    private int _nextId;
    private int _nextPort = 40000;

    public SimulatedContainerRuntime(double cpus = 4, long memoryBytes = 8L << 30, string name = "simulated")
    {
        _engine = new EngineInfo(cpus, memoryBytes, name, "simulated");
    }

    public Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken) => Task.FromResult(_engine);

    public Task<IReadOnlyList<ContainerDetails>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        IReadOnlyList<ContainerDetails> matching = _containers.Values
            .Where(c => labels.All(l => c.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        return Task.FromResult(matching);
    }

    public Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Interlocked.Increment(ref _nextId).ToString("x12", CultureInfo.InvariantCulture);
        var ports = request.Ports
            .Select(p => new PortMapping(p.Container, p.Host != 0 ? p.Host : Interlocked.Increment(ref _nextPort)))
            .ToList();
        _containers[id] = new ContainerDetails { Id = id, Name = request.Name, Labels = request.Labels, State = "created", Ports = ports };
        return Task.FromResult(id);
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken)
    {
        Update(containerId, c => c with { Running = true, State = "running", StartedAt = DateTimeOffset.UtcNow, ExitCode = null });
        return Task.CompletedTask;
    }

    public Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(_containers.TryGetValue(containerId, out var c) ? c : null);

    public Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        Exit(containerId, 137);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        _containers.TryRemove(containerId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Makes a container end with <paramref name="exitCode"/>, as if its process exited.</summary>
    public void Exit(string containerId, int exitCode) =>
        Update(containerId, c => c.Running ? c with { Running = false, State = "exited", ExitCode = exitCode, FinishedAt = DateTimeOffset.UtcNow } : c);

    private void Update(string containerId, Func<ContainerDetails, ContainerDetails> change)
    {
        if (_containers.TryGetValue(containerId, out var current))
        {
            _containers[containerId] = change(current);
        }
    }
}
