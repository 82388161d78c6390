using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Stats;
using Orchestrator.Grains.Nodes.Sweep;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Telemetry;
using Orleans.Concurrency;
using Orleans.Configuration;
using Orleans.Placement;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// One machine. It lives only on the silo whose node name is its key (<see cref="NodePlacementAttribute"/>),
/// owns that machine's engine through <see cref="IContainerRuntime"/>, and is the single authority on its
/// ledger: a reservation that no longer fits is refused here, whatever the scheduler believed.
/// Level-triggered: every sweep compares the engine's containers with the ledger (<see cref="NodeSweeper"/>)
/// and reports each task's container to its task until the task has acknowledged it (<see cref="TaskReporter"/>),
/// so no lost message, write or restart leaves a task believing what is no longer true. Engine events and health
/// verdicts (<see cref="ContainerWatcher"/>) only make a report come sooner.
/// Reentrant so that slow engine calls for one task don't queue every other task behind them; every ledger
/// change happens between awaits (the grain is single-threaded, and so are the parts it owns, which run on its
/// scheduler), and a generation per task tells a sweep which of its observations went stale while it awaited.
/// </summary>
[NodePlacement]
[Immovable]
[Reentrant]
public sealed partial class NodeGrain : Grain, INodeGrain, IStateInspectableGrain<NodeState>, IDisposable
{
    /// <summary>Longer than <see cref="Scheduling.ClusterView"/>'s refresh, so a job told of a drain sees it.</summary>
    private static readonly TimeSpan DrainNoticeDelay = TimeSpan.FromSeconds(1);

    private readonly IContainerRuntime _runtime;
    private readonly IMachineStats _machineStats;
    private readonly NodeOptions _options;
    private readonly ILocalSiloDetails _localSilo;
    private readonly ILogger<NodeGrain> _logger;
    private readonly string _name;
    private readonly TaskChanges _changes = new(TimeProvider.System);
    private readonly CancellationTokenSource _stopping = new();
    private readonly DirectoryReporter _directory;
    private readonly NodeStore _store;
    private readonly EngineGuard _engine;
    private readonly NodeContainers _containers;
    private readonly TaskReporter _reports;
    private readonly ImagePuller _pulls;
    private readonly ContainerWatcher _watch;
    private readonly ContainerStarter _starter;
    private readonly NodeSweeper _sweeper;
    private NodeCapacity _capacity = new(0, 0);
    private IGrainTimer? _sweepTimer;
    private IGrainTimer? _drainNotice;
    private Task _events = Task.CompletedTask;

    public NodeGrain(
        [PersistentState(StorageNames.NodeState, StorageNames.Orchestrator)] IPersistentState<NodeState> state,
        IContainerRuntime runtime,
        IMachineStats machineStats,
        IOptions<NodeOptions> options,
        IOptions<ClusterOptions> cluster,
        OrchestratorMetrics metrics,
        SecretVault vault,
        ILocalSiloDetails localSilo,
        ILogger<NodeGrain> logger)
    {
        (_runtime, _machineStats, _options, _localSilo, _logger) = (runtime, machineStats, options.Value, localSilo, logger);
        _name = GrainKeys.NodeName(this.GetPrimaryKeyString());
        var clusterId = cluster.Value.ClusterId;
        // The parts are plain objects on this grain's scheduler, and log under its category.
        _directory = new DirectoryReporter(GrainFactory, Describe);
        _store = new NodeStore(state, _directory.ReportSoon);
        _engine = new EngineGuard(_name, () => _directory.ReportAsync().Ignore(), logger);
        _containers = new NodeContainers(runtime, clusterId, _name, _options.PortHost, _store, logger);
        _reports = new TaskReporter(GrainFactory, _name, _changes, (taskId, verdict) => verdict == ContainerVerdict.Release ? ReleaseAsync(taskId) : RemoveAsync(taskId), logger);
        _pulls = new ImagePuller(runtime, _name, _options.ImagePullTimeout, _engine, metrics, PullEnded, logger, _stopping.Token);
        _watch = new ContainerWatcher(this, runtime, _options.PortHost, _name, _store, _containers, _changes, _reports, logger, _stopping.Token);
        _starter = new ContainerStarter(runtime, _name, vault, GrainFactory, _store, _containers, _changes, _pulls, _watch, _engine, ForgetAsync, logger);
        _sweeper = new NodeSweeper(runtime, clusterId, _name, _store, _containers, _changes, _reports, _watch, _pulls, _engine, _directory, logger);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(NodeNames.SiloOf(_name), _options.NodeName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"node grain {_name} activated on the silo of node {_options.NodeName}");
        }
        var engine = await _runtime.GetEngineInfoAsync(cancellationToken);
        _capacity = new NodeCapacity(engine.Cpus, engine.MemoryBytes / (1024 * 1024));
        LogActivated(_name, engine.Name, engine.Version, _capacity.Cpus, _capacity.MemoryMb, _store.State.Ledger.Count);
        _sweepTimer = this.RegisterGrainTimer(
            static (grain, ct) => grain._sweeper.SweepAsync(ct),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = _options.SweepInterval, KeepAlive = true, Interleave = true });
        _events = _watch.WatchEventsAsync();
    }

    public Task StartAsync() => _directory.ReportAsync();

    public Task<NodeInfo> GetInfoAsync() => Task.FromResult(Describe());

    public Task<NodeState> GetStateAsync() => Task.FromResult(_store.State);

    public async Task<ReservationResult> ReserveAsync(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (_store.ActiveEntry(reservation.TaskId) is not null)
        {
            return ReservationResult.Ok;
        }
        var refusal = _store.State.Draining ? ReservationResult.Refused(RejectionReasons.NodeDraining, RejectionReasons.NodeDraining)
            : _engine.Fault is { } fault ? ReservationResult.Refused(RejectionReasons.EngineNotAnswering, $"{RejectionReasons.EngineNotAnswering}: {fault}")
            : Ledger.WhyNot(reservation, _capacity, _store.State.Ledger.Values.ToList());
        if (refusal is not null)
        {
            return refusal;
        }
        _changes.Touch(reservation.TaskId);
        var entry = new LedgerEntry { TaskId = reservation.TaskId, Job = reservation.Job, Resources = reservation.Resources, HostPorts = reservation.HostPorts };
        await _store.ChangeLedgerAsync(ledger => ledger.SetItem(entry.TaskId, entry));
        return ReservationResult.Ok;
    }

    public async Task<RunResult> RunAsync(string taskId, JobSpec spec, string? replaces)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var entry = _store.ActiveEntry(taskId) ?? throw new InvalidOperationException($"task {taskId} holds no reservation on node {_name}");
        if (RunAdmission.Check(spec, entry, _options.ExecutionPolicy) is { Count: > 0 } refused)
        {
            LogRefusedSpec(taskId, _name, refused[0].ToString());
            throw new JobSpecException(refused);
        }
        if (_engine.Fault is { } known)
        {
            // Asking would only wait for the call timeout again; the sweep finds out when the engine is back.
            await ForgetAsync(taskId);
            throw new EngineUnavailableException($"the engine of node {_name} is not answering: {known}");
        }
        return await _starter.StartAsync(taskId, entry, spec, replaces);
    }

    public async Task<ContainerObservation?> InspectTaskAsync(string taskId)
    {
        if (_changes.IsStarting(taskId))
        {
            return null;
        }
        var generation = _changes.Touch(taskId);
        if (!_store.State.Ledger.TryGetValue(taskId, out var entry))
        {
            return new ContainerObservation(null, ContainerStatus.NotReserved, null, $"node {_name} holds no reservation for it", generation);
        }
        var found = await _engine.CallAsync(ct => _containers.ListAsync(taskId, ct));
        if (_changes.ChangedSince(taskId, generation))
        {
            return null;
        }
        var keep = NodeSweep.Keep(entry, found.Where(c => !NodeSweep.IsNeverStarted(c)).ToList());
        return NodeSweep.Observe(entry, keep, _watch.Unhealthy.GetValueOrDefault(taskId), generation, _pulls.Of(taskId));
    }

    public async Task ReleaseAsync(string taskId)
    {
        _changes.Touch(taskId);
        _watch.Health.Unwatch(taskId);
        _pulls.Forget(taskId);
        if (_store.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active)
        {
            await _store.ChangeLedgerAsync(ledger => ledger.SetItem(taskId, entry with { Active = false }));
        }
        // An ended task's container holds nothing, so it must not run on; it stays (stopped) for its logs.
        // Should the engine not answer now, the sweep stops it.
        await _containers.TryStopAsync(taskId, entry?.ContainerId);
    }

    public async Task RemoveAsync(string taskId)
    {
        _changes.Touch(taskId);
        _watch.Health.Unwatch(taskId);
        await _engine.CallAsync(ct => _containers.RemoveAllAsync(taskId, ct));
        await ForgetAsync(taskId);
    }

    public async IAsyncEnumerable<LogChunk> LogsAsync(string taskId, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var containerId = await ContainerOfAsync(taskId) ?? throw new KeyNotFoundException($"task {taskId} has no container on node {_name}");
        await using var chunks = _runtime.ReadLogsAsync(containerId, follow, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                throw new KeyNotFoundException($"the container of task {taskId} is gone from node {_name}");
            }
            catch (ContainerRuntimeException e)
            {
                throw new ContainerEngineException(e.Message);
            }
            yield return chunks.Current;
        }
    }

    public async Task DrainAsync(TimeSpan deadline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deadline, TimeSpan.Zero);
        await _store.ChangeAsync(s => s with { Draining = true, DrainDeadline = deadline > TimeSpan.Zero ? DateTimeOffset.UtcNow + deadline : null });
        await _directory.ReportAsync();
        var active = _store.State.Ledger.Values.Where(e => e.Active).ToList();
        if (_store.State.DrainDeadline is null)
        {
            // The sweep asks again, every time, until the node holds no live task.
            foreach (var entry in active)
            {
                _reports.Displace(entry.TaskId);
            }
            return;
        }
        // Each job sees the node Draining on its next pass and replaces its replicas here; this only makes it sooner,
        // once the silos' cached views of the nodes (ClusterView) have had time to expire.
        var jobs = active.Select(e => e.Job).Distinct(StringComparer.Ordinal).ToList();
        _drainNotice?.Dispose();
        _drainNotice = this.RegisterGrainTimer(
            static (notice, _) => notice.Grain.NotifyJobsAsync(notice.Jobs),
            (Grain: this, Jobs: jobs),
            new GrainTimerCreationOptions { DueTime = DrainNoticeDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = false });
    }

    private Task NotifyJobsAsync(IReadOnlyList<string> jobs)
    {
        foreach (var job in jobs)
        {
            GrainFactory.GetJob(job).ReconcileAsync().Ignore();
        }
        return Task.CompletedTask;
    }

    public async Task UncordonAsync()
    {
        await _store.ChangeAsync(s => s with { Draining = false, DrainDeadline = null });
        await _directory.ReportAsync();
    }

    /// <summary>Tells a task whose image pull ended how it went, while it holds its reservation.</summary>
    private void PullEnded(string taskId, ImagePull pull)
    {
        if (_store.ActiveEntry(taskId) is not null)
        {
            _reports.Report(taskId, pull.Observe(_changes.Touch(taskId)));
        }
    }

    /// <summary>Drops a task's ledger entry without asking the engine; a container left of it is then a stray to the sweep.</summary>
    private async Task ForgetAsync(string taskId)
    {
        _changes.Touch(taskId);
        _watch.Health.Unwatch(taskId);
        _watch.ForgetVerdict(taskId);
        _pulls.Forget(taskId);
        if (_store.State.Ledger.ContainsKey(taskId))
        {
            await _store.ChangeLedgerAsync(ledger => ledger.Remove(taskId));
        }
    }

    private async Task<string?> ContainerOfAsync(string taskId)
    {
        if (_store.State.Ledger.TryGetValue(taskId, out var entry) && entry.ContainerId is { } known)
        {
            return known;
        }
        var found = await _engine.CallAsync(ct => _containers.ListAsync(taskId, ct));
        return found.OrderByDescending(c => c.Running).Select(c => c.Id).FirstOrDefault();
    }

    /// <summary>
    /// The node as it reports itself. While its engine does not answer, its heartbeat stays at the last
    /// answer, so the directory reads it Down once that is older than <c>NodeDownAfter</c>.
    /// </summary>
    private NodeInfo Describe()
    {
        var info = Ledger.Describe(_name, _capacity, _store.State, _options.NodeLabels, _machineStats.Sample()) with
        {
            Address = PublishedAddress.Of(_options.PortHost, _localSilo.SiloAddress.Endpoint.Address),
        };
        return _engine.Fault is { } fault
            ? info with { LastHeartbeat = _engine.AnsweredAt, StatusReason = $"engine not answering since {_engine.AnsweredAt:O}: {fault}" }
            : info;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        _watch.Dispose();
        await _stopping.CancelAsync();
        await _events.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _watch.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} active on engine {Engine} {Version}: {Cpus} CPUs, {MemoryMb} MB, {Entries} ledger entries")]
    private partial void LogActivated(string node, string engine, string version, double cpus, long memoryMb, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: node {Node} refused to run its spec: {Rule}")]
    private partial void LogRefusedSpec(string taskId, string node, string rule);
}
