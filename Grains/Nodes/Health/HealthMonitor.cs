using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes.Health;

/// <summary>
/// Runs the health checks of a node's containers, next to them. Each watched container has its own
/// grain timer at its job's interval, interleaving with the node's calls: a slow check (bounded by its
/// timeout) delays neither the node nor the other containers' checks, and different intervals need no
/// shared schedule. A change worth telling goes to <c>onChange</c> on the node grain's scheduler.
/// </summary>
public sealed class HealthMonitor : IDisposable
{
    private readonly Dictionary<string, Watched> _watches = new(StringComparer.Ordinal);
    private readonly IGrainBase _grain;
    private readonly IContainerRuntime _runtime;
    private readonly string _portHost;
    private readonly Func<string, TaskHealth, Task> _onChange;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <param name="grain">The node grain whose timers run the checks.</param>
    /// <param name="runtime">The node's engine, for exec checks.</param>
    /// <param name="portHost">The address published ports listen on (<c>Orchestrator:PortHost</c>).</param>
    /// <param name="onChange">Told (task id, new health) when a container's health changes; <see cref="HealthStatus.Unhealthy"/> ends its watch.</param>
    public HealthMonitor(IGrainBase grain, IContainerRuntime runtime, string portHost, Func<string, TaskHealth, Task> onChange)
    {
        _grain = grain;
        _runtime = runtime;
        _portHost = portHost;
        _onChange = onChange;
    }

    /// <summary>Starts checking the task's container (replacing a watch of an earlier container of the task).</summary>
    public void Watch(string taskId, string containerId, HealthSpec spec, IReadOnlyList<PortMapping> ports)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(ports);
        Unwatch(taskId);
        var watch = new Watched(taskId, CreateProbe(containerId, spec, ports), new HealthTracker(containerId, spec.FailureThreshold));
        var interval = TimeSpan.FromSeconds(spec.IntervalSeconds);
        watch.Timer = _grain.RegisterGrainTimer(
            static (state, ct) => state.Monitor.CheckAsync(state.Watch, ct),
            (Monitor: this, Watch: watch),
            new GrainTimerCreationOptions { DueTime = interval, Period = interval, Interleave = true, KeepAlive = false });
        _watches[taskId] = watch;
    }

    /// <summary>True while this container of the task is being checked.</summary>
    public bool IsWatching(string taskId, string containerId) =>
        _watches.TryGetValue(taskId, out var watch) && watch.Tracker.Current.ContainerId == containerId;

    /// <summary>Task → the container being checked, for every watch.</summary>
    public IReadOnlyDictionary<string, string> WatchedContainers() =>
        _watches.Where(w => w.Value.Tracker.Current.ContainerId is not null)
            .ToDictionary(w => w.Key, w => w.Value.Tracker.Current.ContainerId!, StringComparer.Ordinal);

    /// <summary>Stops checking the task's container; nothing when none is watched.</summary>
    public void Unwatch(string taskId)
    {
        if (_watches.Remove(taskId, out var watch))
        {
            watch.Timer?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var watch in _watches.Values)
        {
            watch.Timer?.Dispose();
        }
        _watches.Clear();
        _http.Dispose();
    }

    private IHealthProbe CreateProbe(string containerId, HealthSpec spec, IReadOnlyList<PortMapping> ports)
    {
        var timeout = TimeSpan.FromSeconds(spec.TimeoutSeconds);
        if (spec.Exec is { } command)
        {
            return new ExecHealthProbe(_runtime, containerId, command, timeout);
        }
        var http = spec.Http ?? throw new ArgumentException("a health check needs http or exec", nameof(spec));
        var published = ports.FirstOrDefault(p => p.Container == http.Port);
        var target = published is null
            ? null
            : new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{FormatHost(_portHost)}:{published.Host}{http.Path}"));
        return new HttpHealthProbe(_http, target, http.Path, http.Port, timeout);
    }

    private async Task CheckAsync(Watched watch, CancellationToken cancellationToken)
    {
        var result = await watch.Probe.CheckAsync(cancellationToken);
        if (!_watches.TryGetValue(watch.TaskId, out var current) || current != watch)
        {
            // Unwatched while the check ran: its container is gone or replaced.
            return;
        }
        if (watch.Tracker.Record(result, DateTimeOffset.UtcNow) is not { } changed)
        {
            return;
        }
        if (changed.Status == HealthStatus.Unhealthy)
        {
            Unwatch(watch.TaskId);
        }
        await _onChange(watch.TaskId, changed);
    }

    // The wildcard addresses a port may be published on are reached through loopback.
    private static string FormatHost(string host) => host switch
    {
        "0.0.0.0" or "" => "127.0.0.1",
        "::" => "[::1]",
        _ when host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') => $"[{host}]",
        _ => host,
    };

    private sealed class Watched(string taskId, IHealthProbe probe, HealthTracker tracker)
    {
        public string TaskId { get; } = taskId;
        public IHealthProbe Probe { get; } = probe;
        public HealthTracker Tracker { get; } = tracker;
        public IGrainTimer? Timer { get; set; }
    }
}
