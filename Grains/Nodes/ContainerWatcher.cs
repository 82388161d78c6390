using System.Globalization;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Health;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Sweep;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Watches a node's containers between sweeps: follows the engine's <c>die</c> events, subscribing again whenever the
/// stream breaks, and runs their health checks (<see cref="Health"/>); an exit or a container its checks condemn is
/// reported to its task at once instead of at the next sweep. The sweep stays the catch-all for what it misses.
/// The checks run on the node grain's timers (<c>grain</c>); the events until the node stops (<c>stopping</c>).
/// </summary>
public sealed partial class ContainerWatcher : IDisposable
{
    private static readonly TimeSpan EventsRetry = TimeSpan.FromSeconds(2);

    // Task → the container its health checks condemned; the verdict stands for that container.
    private readonly Dictionary<string, string> _unhealthy = new(StringComparer.Ordinal);
    // Task → its container that died while the start was in flight; reported once the start is recorded.
    private readonly Dictionary<string, string> _diedWhileStarting = new(StringComparer.Ordinal);
    private readonly string _node;
    private readonly NodeStore _store;
    private readonly NodeContainers _containers;
    private readonly TaskChanges _changes;
    private readonly TaskReporter _reports;
    private readonly IContainerRuntime _runtime;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    public ContainerWatcher(
        IGrainBase grain,
        IContainerRuntime runtime,
        string portHost,
        string node,
        NodeStore store,
        NodeContainers containers,
        TaskChanges changes,
        TaskReporter reports,
        ILogger logger,
        CancellationToken stopping)
    {
        Health = new HealthMonitor(grain, runtime, portHost, HealthChangedAsync);
        _runtime = runtime;
        _node = node;
        _store = store;
        _containers = containers;
        _changes = changes;
        _reports = reports;
        _logger = logger;
        _stopping = stopping;
    }

    public HealthMonitor Health { get; }

    /// <summary>Task → the container its health checks condemned.</summary>
    public IReadOnlyDictionary<string, string> Unhealthy => _unhealthy;

    /// <summary>The verdict on the task's container no longer stands: it is gone, or the task is.</summary>
    public void ForgetVerdict(string taskId) => _unhealthy.Remove(taskId);

    /// <summary>Follows the engine's <c>die</c> events of the node's containers until the node stops.</summary>
    public async Task WatchEventsAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var died in _containers.WatchAsync(_stopping))
                {
                    await ContainerDiedAsync(died);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The stream breaks when the engine restarts; the sweep covers the gap and the loop subscribes again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogEventsFailed(e, _node);
            }
            try
            {
                await Task.Delay(EventsRetry, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The task's start is recorded: an exit of its container while it was in flight is reported now.</summary>
    public void StartEnded(string taskId)
    {
        if (_diedWhileStarting.Remove(taskId, out var died))
        {
            ReportExitAsync(taskId, died).Ignore();
        }
    }

    public void Dispose() => Health.Dispose();

    private async Task ContainerDiedAsync(ContainerEvent died)
    {
        if (died.Action != ContainerEvent.Die || !died.Labels.TryGetValue(ContainerLabels.Task, out var taskId))
        {
            return;
        }
        if (_changes.IsStarting(taskId))
        {
            // Its start is still being recorded: the exit is reported once it is.
            _diedWhileStarting[taskId] = died.ContainerId;
            return;
        }
        await ReportExitAsync(taskId, died.ContainerId);
    }

    /// <summary>Reports at once that the task's container ended, if it is the task's current container and it did.</summary>
    private async Task ReportExitAsync(string taskId, string containerId)
    {
        if (_store.ActiveEntry(taskId) is not { } entry || entry.ContainerId != containerId)
        {
            return;
        }
        Health.Unwatch(taskId);
        var generation = _changes.Touch(taskId);
        ContainerDetails? details = null;
        // Should the engine not answer, the sweep reports it.
        if (!await _containers.TryAsync(containerId, async ct => details = await _runtime.InspectAsync(containerId, ct), _stopping))
        {
            return;
        }
        if (details is not { Running: true } && !_changes.ChangedSince(taskId, generation))
        {
            _reports.Report(taskId, NodeSweep.Observe(entry, details, _unhealthy.GetValueOrDefault(taskId), generation));
        }
    }

    private async Task HealthChangedAsync(string taskId, TaskHealth health)
    {
        if (_store.ActiveEntry(taskId) is not { } entry || entry.ContainerId != health.ContainerId || health.ContainerId is not { } containerId)
        {
            return;
        }
        _reports.ReportHealth(taskId, health);
        if (health.Status != HealthStatus.Unhealthy)
        {
            return;
        }
        var detail = string.Create(CultureInfo.InvariantCulture, $"health check failed {health.ConsecutiveFailures} times: {health.LastFailure}");
        LogUnhealthy(taskId, containerId, detail);
        _unhealthy[taskId] = containerId;
        _reports.Report(taskId, new ContainerObservation(containerId, ContainerStatus.Unhealthy, null, detail, _changes.Touch(taskId)));
        // Stopped, not removed: it keeps its logs, and holds nothing once its task restarts or fails.
        await _containers.TryStopAsync(taskId, containerId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} lost the engine's event stream; subscribing again")]
    private partial void LogEventsFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: container {ContainerId} is unhealthy: {Detail}")]
    private partial void LogUnhealthy(string taskId, string containerId, string detail);
}
