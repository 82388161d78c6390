using Orchestrator.Abstractions;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Nodes.Health;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Stats;
using Orchestrator.Grains.Persistence;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Configuration;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// One machine. It lives only on the silo whose node name is its key (<see cref="NodePlacementAttribute"/>),
/// owns that machine's engine through <see cref="IContainerRuntime"/>, and is the single authority on its
/// ledger: a reservation that no longer fits is refused here, whatever the scheduler believed.
/// Reentrant so that slow engine calls for one task don't queue every other task behind them; every
/// ledger change happens between awaits (the grain is single-threaded) and writes are serialised.
/// Exits are noticed as the engine reports them (its event stream) and, as a catch-all for what the
/// stream missed, by a periodic sweep; health checks run here, beside the containers (<see cref="HealthMonitor"/>).
/// An engine that stops answering (a call times out or finds no engine) makes the node refuse new
/// reservations and fail starts at once, and withholds its heartbeat, so the cluster sees it Down (as
/// Kubernetes sees a node whose container runtime is down NotReady) until the sweep reaches the engine again.
/// </summary>
[NodePlacement]
[Immovable]
[Reentrant]
public sealed partial class NodeGrain(
    [PersistentState(StorageNames.NodeState, StorageNames.Orchestrator)] IPersistentState<NodeState> state,
    IContainerRuntime runtime,
    IMachineStats machineStats,
    IOptions<OrchestratorOptions> options,
    IOptions<ClusterOptions> cluster,
    ILogger<NodeGrain> logger) : Grain, INodeGrain, IStateInspectableGrain<NodeState>, IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EventsRetry = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one start may take in all. Below Orleans' 30 s response timeout, so the node, not its caller,
    /// decides what a start that hangs means, and cleans up after it.
    /// </summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(25);

    private readonly HashSet<string> _starting = new(StringComparer.Ordinal);
    // Containers that died while their task was starting them: reported once the start has returned.
    private readonly Dictionary<string, string> _diedWhileStarting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    // What each task was last told about its container, so a sweep reports changes, not repeats.
    private readonly Dictionary<string, (string? ContainerId, ContainerStatus Status)> _reported = new(StringComparer.Ordinal);
    private NodeCapacity _capacity = new(0, 0);
    private IGrainTimer? _sweepTimer;
    private HealthMonitor? _health;
    private Task _events = Task.CompletedTask;
    private string _name = "";
    // False until the first sweep after activation, which re-adopts what the last life of this node left.
    private bool _adopted;
    // Why the engine is taken for unavailable, while it is; set by a call that timed out or found no engine,
    // cleared by the next sweep that lists the containers.
    private string? _engineFault;
    private DateTimeOffset _engineAnsweredAt = DateTimeOffset.UtcNow;

    private readonly CoalescingStateWriter<NodeState> _writer = new(state);

    private OrchestratorOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = GrainKeys.NodeName(this.GetPrimaryKeyString());
        if (!string.Equals(NodeNames.SiloOf(_name), Options.NodeName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"node grain {_name} activated on the silo of node {Options.NodeName}");
        }
        var engine = await runtime.GetEngineInfoAsync(cancellationToken);
        _capacity = new NodeCapacity(engine.Cpus, engine.MemoryBytes / (1024 * 1024));
        LogActivated(_name, engine.Name, engine.Version, _capacity.Cpus, _capacity.MemoryMb, state.State.Ledger.Count);
        _sweepTimer = this.RegisterGrainTimer(
            static (grain, ct) => grain.SweepAsync(ct),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Options.SweepInterval, KeepAlive = true, Interleave = true });
        _health = new HealthMonitor(this, runtime, Options.PortHost, HealthChangedAsync);
        _events = WatchEventsAsync(_stopping.Token);
    }

    private HealthMonitor Health => _health ?? throw new InvalidOperationException($"node {_name} is not active");

    public Task StartAsync() => ReportAsync();

    public Task<NodeInfo> GetInfoAsync() => Task.FromResult(Describe());

    public Task<NodeState> GetStateAsync() => Task.FromResult(state.State);

    public async Task<ReservationResult> ReserveAsync(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (state.State.Ledger.TryGetValue(reservation.TaskId, out var existing) && existing.Active)
        {
            return ReservationResult.Ok;
        }
        if (state.State.Draining)
        {
            return ReservationResult.Refused("node draining");
        }
        if (_engineFault is { } fault)
        {
            return ReservationResult.Refused($"engine not answering: {fault}");
        }
        if (Ledger.WhyNot(reservation, _capacity, state.State.Ledger.Values.ToList()) is { } why)
        {
            return ReservationResult.Refused(why);
        }
        var entry = new LedgerEntry { TaskId = reservation.TaskId, Job = reservation.Job, Resources = reservation.Resources, HostPorts = reservation.HostPorts };
        state.State = state.State with { Ledger = state.State.Ledger.SetItem(entry.TaskId, entry) };
        await PersistAsync();
        ReportAsync().Ignore();
        return ReservationResult.Ok;
    }

    public async Task<StartedContainer> RunAsync(string taskId, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!state.State.Ledger.TryGetValue(taskId, out var entry) || !entry.Active)
        {
            throw new InvalidOperationException($"task {taskId} holds no reservation on node {_name}");
        }
        if (_engineFault is { } known)
        {
            // Asking would only wait for the call timeout again; the sweep finds out when the engine is back.
            await ForgetAsync(taskId);
            throw new EngineUnavailableException($"the engine of node {_name} is not answering: {known}");
        }
        if (!_starting.Add(taskId))
        {
            throw new InvalidOperationException($"task {taskId} is already starting on node {_name}");
        }
        using var deadline = new CancellationTokenSource(StartDeadline);
        try
        {
            Health.Unwatch(taskId);
            await RemoveContainersOfAsync(taskId, deadline.Token);
            var request = CreateRequest(taskId, entry.Job, spec);
            var id = await runtime.CreateAsync(request, deadline.Token);
            try
            {
                await runtime.StartAsync(id, deadline.Token);
            }
            catch (ContainerRuntimeException e) when (!IsEngineFault(e))
            {
                await runtime.RemoveAsync(id, CancellationToken.None);
                throw;
            }
            var details = await runtime.InspectAsync(id, deadline.Token);
            var ports = (details?.Ports ?? []).Select(p => new PortBinding(p.Container, p.Host)).ToArray();
            if (state.State.Ledger.TryGetValue(taskId, out var current))
            {
                state.State = state.State with { Ledger = state.State.Ledger.SetItem(taskId, current with { ContainerId = id, Health = spec.Health }) };
                await PersistAsync();
            }
            _reported[taskId] = (id, ContainerStatus.Running);
            LogStarted(taskId, id, _name);
            if (_diedWhileStarting.Remove(taskId, out var died) && died == id)
            {
                // The task hears of the exit after this start's answer: it is busy until then.
                ReportEndedAsync(taskId, id).Ignore();
            }
            else if (spec.Health is { } health && details is { Running: true })
            {
                Health.Watch(taskId, id, health, details.Ports);
            }
            return new StartedContainer(id, ports);
        }
        catch (Exception e) when (EngineFaultOf(e, deadline.Token) is { } fault)
        {
            EngineFailed(fault);
            // The task goes elsewhere. Whatever the engine still makes of this start once it answers (a create
            // that timed out here may complete there) carries no claim any more, so the sweep removes it.
            await ForgetAsync(taskId);
            throw new EngineUnavailableException($"the engine of node {_name} did not start the container: {fault.Message}");
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            // Engine exceptions may not cross the wire; the task needs the message, not the type.
            throw new InvalidOperationException(e.Message, e);
        }
        finally
        {
            _starting.Remove(taskId);
            _diedWhileStarting.Remove(taskId);
        }
    }

    public async Task ReleaseAsync(string taskId)
    {
        Health.Unwatch(taskId);
        if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active)
        {
            state.State = state.State with { Ledger = state.State.Ledger.SetItem(taskId, entry with { Active = false }) };
            await PersistAsync();
            ReportAsync().Ignore();
        }
    }

    public async Task RemoveAsync(string taskId)
    {
        Health.Unwatch(taskId);
        await RemoveContainersOfAsync(taskId, CancellationToken.None);
        _reported.Remove(taskId);
        if (state.State.Ledger.ContainsKey(taskId))
        {
            state.State = state.State with { Ledger = state.State.Ledger.Remove(taskId) };
            await PersistAsync();
            ReportAsync().Ignore();
        }
    }

    public async IAsyncEnumerable<LogChunk> LogsAsync(string taskId, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var containerId = await ContainerOfAsync(taskId) ?? throw new KeyNotFoundException($"task {taskId} has no container on node {_name}");
        await using var chunks = runtime.ReadLogsAsync(containerId, follow, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await chunks.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (ContainerRuntimeException e) when (e.Failure == ContainerRuntimeFailure.ContainerNotFound)
            {
                throw new KeyNotFoundException($"the container of task {taskId} is gone from node {_name}", e);
            }
            catch (ContainerRuntimeException e)
            {
                // Engine exceptions may not cross the wire; the caller needs the message, not the type.
                throw new InvalidOperationException(e.Message, e);
            }
            yield return chunks.Current;
        }
    }

    public async Task DrainAsync()
    {
        state.State = state.State with { Draining = true };
        await PersistAsync();
        await ReportAsync();
        foreach (var entry in state.State.Ledger.Values.Where(e => e.Active))
        {
            GrainFactory.GetGrain<ITaskGrain>(entry.TaskId).DisplaceAsync($"node {_name} drained").Ignore();
        }
    }

    public async Task UncordonAsync()
    {
        state.State = state.State with { Draining = false };
        await PersistAsync();
        await ReportAsync();
    }

    /// <summary>
    /// Lists this node's containers and reconciles them with the ledger: adopts what a task claims,
    /// removes what none does, and tells each task what became of its container. The first sweep after
    /// activation is the re-adoption after a silo restart.
    /// </summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ContainerDetails> containers;
        try
        {
            containers = await runtime.ListAsync(OwnLabels(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e, _name);
            if (e is ContainerRuntimeException failure && IsEngineFault(failure))
            {
                EngineFailed(failure);
            }
            return;
        }
        EngineAnswered();
        var byTask = containers
            .Where(c => c.Labels.ContainsKey(ContainerLabels.Task))
            .GroupBy(c => c.Labels[ContainerLabels.Task], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var (taskId, found) in byTask)
        {
            if (_starting.Contains(taskId))
            {
                continue;
            }
            if (!state.State.Ledger.TryGetValue(taskId, out var entry))
            {
                LogOrphan(taskId, _name);
                foreach (var container in found)
                {
                    await runtime.RemoveAsync(container.Id, cancellationToken);
                }
                continue;
            }
            var keep = found.FirstOrDefault(c => c.Id == entry.ContainerId) ?? found.OrderByDescending(c => c.Running).First();
            foreach (var extra in found.Where(c => c.Id != keep.Id))
            {
                await runtime.RemoveAsync(extra.Id, cancellationToken);
            }
            if (entry.ContainerId != keep.Id)
            {
                state.State = state.State with { Ledger = state.State.Ledger.SetItem(taskId, entry with { ContainerId = keep.Id }) };
                await PersistAsync();
            }
            if (entry.Active)
            {
                if (!keep.Running)
                {
                    Health.Unwatch(taskId);
                }
                else if (entry.Health is { } health && !Health.IsWatching(taskId, keep.Id) && !WasUnhealthy(taskId, keep.Id))
                {
                    // Re-adopted after a restart of this silo: its checks resume.
                    Health.Watch(taskId, keep.Id, health, keep.Ports);
                }
                var observation = keep.Running
                    ? new ContainerObservation(keep.Id, ContainerStatus.Running, null, "container running")
                    : Ended(keep);
                Tell(taskId, observation);
            }
        }

        foreach (var entry in state.State.Ledger.Values.ToList())
        {
            if (byTask.ContainsKey(entry.TaskId) || _starting.Contains(entry.TaskId))
            {
                continue;
            }
            if (!entry.Active)
            {
                // An ended task whose kept container is gone: nothing left to remember.
                state.State = state.State with { Ledger = state.State.Ledger.Remove(entry.TaskId) };
                await PersistAsync();
            }
            else if (entry.ContainerId is not null)
            {
                Tell(entry.TaskId, new ContainerObservation(entry.ContainerId, ContainerStatus.Missing, null, $"container {Short(entry.ContainerId)} disappeared"));
            }
            else if (!_adopted)
            {
                // Reserved but never started before this node's last life ended: the task starts it now.
                Tell(entry.TaskId, new ContainerObservation(null, ContainerStatus.Missing, null, "no container yet"));
            }
        }
        _adopted = true;
        await ReportAsync();
    }

    /// <summary>
    /// Follows the engine's <c>die</c> events of this node's containers, subscribing again whenever the
    /// stream breaks; an exit is told to its task at once instead of at the next sweep.
    /// </summary>
    private async Task WatchEventsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var died in runtime.WatchAsync(OwnLabels(), cancellationToken))
                {
                    await ContainerDiedAsync(died);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The stream breaks when the engine restarts; the sweep covers the gap and the loop subscribes again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogEventsFailed(e, _name);
            }
            try
            {
                await Task.Delay(EventsRetry, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ContainerDiedAsync(ContainerEvent died)
    {
        if (died.Action != ContainerEvent.Die || !died.Labels.TryGetValue(ContainerLabels.Task, out var taskId))
        {
            return;
        }
        if (_starting.Contains(taskId))
        {
            _diedWhileStarting[taskId] = died.ContainerId;
            return;
        }
        if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active && entry.ContainerId == died.ContainerId)
        {
            await ReportEndedAsync(taskId, died.ContainerId);
        }
    }

    private async Task ReportEndedAsync(string taskId, string containerId)
    {
        Health.Unwatch(taskId);
        ContainerDetails? details;
        try
        {
            details = await runtime.InspectAsync(containerId, CancellationToken.None);
        }
        catch (ContainerRuntimeException e)
        {
            // The sweep will see it.
            LogInspectFailed(e, containerId, _name);
            return;
        }
        if (details is { Running: true })
        {
            return;
        }
        Tell(taskId, details is null
            ? new ContainerObservation(containerId, ContainerStatus.Missing, null, $"container {Short(containerId)} disappeared")
            : Ended(details));
    }

    private async Task HealthChangedAsync(string taskId, TaskHealth health)
    {
        if (!state.State.Ledger.TryGetValue(taskId, out var entry) || !entry.Active || entry.ContainerId != health.ContainerId || health.ContainerId is not { } containerId)
        {
            return;
        }
        var task = GrainFactory.GetGrain<ITaskGrain>(taskId);
        task.ReportHealthAsync(_name, health).Ignore();
        if (health.Status != HealthStatus.Unhealthy)
        {
            return;
        }
        var detail = string.Create(CultureInfo.InvariantCulture, $"health check failed {health.ConsecutiveFailures} times: {health.LastFailure}");
        LogUnhealthy(taskId, containerId, detail);
        Tell(taskId, new ContainerObservation(containerId, ContainerStatus.Unhealthy, null, detail));
        try
        {
            // Stopped, not removed: it keeps its logs, and holds nothing once its task restarts or fails.
            await runtime.StopAsync(containerId, StopGrace, CancellationToken.None);
        }
        catch (ContainerRuntimeException e)
        {
            LogStopFailed(e, containerId, _name);
        }
    }

    private static bool IsEngineFault(ContainerRuntimeException e) =>
        e.Failure is ContainerRuntimeFailure.Timeout or ContainerRuntimeFailure.Unreachable;

    private static ContainerRuntimeException? EngineFaultOf(Exception e, CancellationToken deadline) => e switch
    {
        ContainerRuntimeException failure when IsEngineFault(failure) => failure,
        OperationCanceledException when deadline.IsCancellationRequested => new ContainerRuntimeException(
            ContainerRuntimeFailure.Timeout, $"the engine did not start it within {StartDeadline.TotalSeconds:0} s", e),
        _ => null,
    };

    private void EngineFailed(ContainerRuntimeException e)
    {
        if (_engineFault is null)
        {
            LogEngineUnavailable(e, _name);
        }
        _engineFault = e.Failure == ContainerRuntimeFailure.Timeout ? "calls time out" : "unreachable";
        ReportAsync().Ignore();
    }

    private void EngineAnswered()
    {
        _engineAnsweredAt = DateTimeOffset.UtcNow;
        if (_engineFault is not null)
        {
            _engineFault = null;
            LogEngineAnswers(_name);
        }
    }

    /// <summary>Drops a task's ledger entry without asking the engine; a container left of it is then an orphan to the sweep.</summary>
    private async Task ForgetAsync(string taskId)
    {
        Health.Unwatch(taskId);
        _reported.Remove(taskId);
        if (state.State.Ledger.ContainsKey(taskId))
        {
            state.State = state.State with { Ledger = state.State.Ledger.Remove(taskId) };
            await PersistAsync();
            ReportAsync().Ignore();
        }
    }

    private async Task<string?> ContainerOfAsync(string taskId)
    {
        if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.ContainerId is { } known)
        {
            return known;
        }
        var labels = new Dictionary<string, string>(OwnLabels(), StringComparer.Ordinal) { [ContainerLabels.Task] = taskId };
        var found = await runtime.ListAsync(labels, CancellationToken.None);
        return found.OrderByDescending(c => c.Running).Select(c => c.Id).FirstOrDefault();
    }

    private static ContainerObservation Ended(ContainerDetails container)
    {
        var code = container.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        var detail = container.OomKilled ? $"exited with code {code} (out of memory)" : $"exited with code {code}";
        return new ContainerObservation(container.Id, ContainerStatus.Exited, container.ExitCode, detail);
    }

    private bool WasUnhealthy(string taskId, string containerId) =>
        _reported.TryGetValue(taskId, out var last) && last == (containerId, ContainerStatus.Unhealthy);

    private static string Short(string containerId) => containerId[..Math.Min(12, containerId.Length)];

    private void Tell(string taskId, ContainerObservation observation)
    {
        if (_reported.TryGetValue(taskId, out var last) && last == (observation.ContainerId, observation.Status))
        {
            return;
        }
        if (observation.ContainerId is { } id && WasUnhealthy(taskId, id))
        {
            // The verdict on this container stands; its stop by the node is no news to the task.
            return;
        }
        _reported[taskId] = (observation.ContainerId, observation.Status);
        GrainFactory.GetGrain<ITaskGrain>(taskId).ObserveContainerAsync(_name, observation).Ignore();
    }

    private async Task RemoveContainersOfAsync(string taskId, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(OwnLabels(), StringComparer.Ordinal) { [ContainerLabels.Task] = taskId };
        foreach (var container in await runtime.ListAsync(labels, cancellationToken))
        {
            await runtime.StopAsync(container.Id, StopGrace, cancellationToken);
            await runtime.RemoveAsync(container.Id, cancellationToken);
        }
    }

    private ContainerCreateRequest CreateRequest(string taskId, string job, JobSpec spec)
    {
        var labels = new Dictionary<string, string>(OwnLabels(), StringComparer.Ordinal)
        {
            [ContainerLabels.Job] = job,
            [ContainerLabels.Task] = taskId,
        };
        return new ContainerCreateRequest
        {
            Name = $"orch-{cluster.Value.ClusterId}-{taskId}",
            Image = spec.Image,
            Command = spec.Command,
            Env = spec.Env,
            Labels = labels,
            Cpus = spec.Resources.Cpu,
            MemoryBytes = spec.Resources.MemoryMb * 1024 * 1024,
            Ports = spec.Ports.Select(p => new PortMapping(p.Container, p.Host)).ToArray(),
            PortHost = Options.PortHost,
            Privileged = spec.Privileged,
            CapAdd = spec.CapAdd,
            Binds = spec.Mounts.Select(m => m.ReadOnly ? $"{m.Source}:{m.Target}:ro" : $"{m.Source}:{m.Target}").ToArray(),
            NetworkMode = spec.Network,
        };
    }

    private Dictionary<string, string> OwnLabels() => new(StringComparer.Ordinal)
    {
        [ContainerLabels.Cluster] = cluster.Value.ClusterId,
        [ContainerLabels.Node] = _name,
    };

    /// <summary>
    /// The node as it reports itself. While its engine does not answer, its heartbeat stays at the last
    /// answer, so the directory reads it Down once that is older than <c>NodeDownAfter</c>.
    /// </summary>
    private NodeInfo Describe()
    {
        var info = Ledger.Describe(_name, _capacity, state.State, Options.NodeLabels, machineStats.Sample());
        return _engineFault is { } fault
            ? info with { LastHeartbeat = _engineAnsweredAt, StatusReason = $"engine not answering since {_engineAnsweredAt:O}: {fault}" }
            : info;
    }

    private Task ReportAsync() => GrainFactory.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ReportAsync(Describe());

    private Task PersistAsync() => _writer.WriteAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        _health?.Dispose();
        await _stopping.CancelAsync();
        await _events.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _health?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} active on engine {Engine} {Version}: {Cpus} CPUs, {MemoryMb} MB, {Entries} ledger entries")]
    private partial void LogActivated(string node, string engine, string version, double cpus, long memoryMb, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: container {ContainerId} started on {Node}")]
    private partial void LogStarted(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing container of task {TaskId} on {Node}: no task of this node claims it")]
    private partial void LogOrphan(string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} lost the engine's event stream; subscribing again")]
    private partial void LogEventsFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not inspect container {ContainerId} on {Node}")]
    private partial void LogInspectFailed(Exception exception, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop unhealthy container {ContainerId} on {Node}")]
    private partial void LogStopFailed(Exception exception, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: container {ContainerId} is unhealthy: {Detail}")]
    private partial void LogUnhealthy(string taskId, string containerId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: its engine is not answering; no new task is placed here until it does")]
    private partial void LogEngineUnavailable(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: its engine answers again")]
    private partial void LogEngineAnswers(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not list its containers")]
    private partial void LogSweepFailed(Exception exception, string node);
}
