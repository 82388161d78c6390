using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Nodes.Health;
using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Stats;
using Orchestrator.Grains.Nodes.Sweep;
using Orchestrator.Grains.Persistence;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Telemetry;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Configuration;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// One machine. It lives only on the silo whose node name is its key (<see cref="NodePlacementAttribute"/>),
/// owns that machine's engine through <see cref="IContainerRuntime"/>, and is the single authority on its
/// ledger: a reservation that no longer fits is refused here, whatever the scheduler believed.
/// Level-triggered: every sweep compares the engine's containers with the ledger (<see cref="NodeSweep"/>)
/// and reports each task's container to its task until the task has acknowledged it, so no lost message,
/// write or restart leaves a task believing what is no longer true. Engine events and health verdicts only
/// make a report come sooner.
/// Reentrant so that slow engine calls for one task don't queue every other task behind them; every ledger
/// change happens between awaits (the grain is single-threaded), and a generation per task tells a sweep
/// which of its observations went stale while it awaited.
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
    OrchestratorMetrics metrics,
    SecretVault vault,
    ILocalSiloDetails localSilo,
    ILogger<NodeGrain> logger) : Grain, INodeGrain, IStateInspectableGrain<NodeState>, IDisposable
{
    /// <summary>The stop grace of a container no ledger entry claims (a stray), as a job's default.</summary>
    private static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(SpecLimits.DefaultStopGraceSeconds);
    private static readonly TimeSpan EventsRetry = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one start may take in all. Below Orleans' 30 s response timeout, so the node, not its caller,
    /// decides what a start that hangs means, and cleans up after it.
    /// </summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(25);

    /// <summary>How long an acknowledged report stands; then the node reports again, and a reservation its task disowns is reclaimed.</summary>
    private static readonly TimeSpan AcknowledgementLifetime = TimeSpan.FromSeconds(30);
    /// <summary>Longer than <see cref="Scheduling.ClusterView"/>'s refresh, so a job told of a drain sees it.</summary>
    private static readonly TimeSpan DrainNoticeDelay = TimeSpan.FromSeconds(1);

    private readonly TaskChanges _changes = new(TimeProvider.System);
    private readonly ReportBook _reports = new(AcknowledgementLifetime);
    // Task → the container its health checks condemned; the verdict stands for that container.
    private readonly Dictionary<string, string> _unhealthy = new(StringComparer.Ordinal);
    // Task → its container that died while the start was in flight; reported once the start is recorded.
    private readonly Dictionary<string, string> _diedWhileStarting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly EngineStatus _engine = new();
    private readonly ImagePulls _pulls = new();
    private readonly CoalescingStateWriter<NodeState> _writer = new(state);
    private NodeCapacity _capacity = new(0, 0);
    private IGrainTimer? _sweepTimer;
    private IGrainTimer? _drainNotice;
    private HealthMonitor? _health;
    private Task _events = Task.CompletedTask;
    private string _name = "";
    private bool _reporting;
    private bool _reportAgain;

    private OrchestratorOptions Options => options.Value;

    private HealthMonitor Health => _health ?? throw new InvalidOperationException($"node {_name} is not active");

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
        var refusal = state.State.Draining ? ReservationResult.Refused(RejectionReasons.NodeDraining, RejectionReasons.NodeDraining)
            : _engine.Fault is { } fault ? ReservationResult.Refused(RejectionReasons.EngineNotAnswering, $"{RejectionReasons.EngineNotAnswering}: {fault}")
            : Ledger.WhyNot(reservation, _capacity, state.State.Ledger.Values.ToList());
        if (refusal is not null)
        {
            return refusal;
        }
        _changes.Touch(reservation.TaskId);
        var entry = new LedgerEntry { TaskId = reservation.TaskId, Job = reservation.Job, Resources = reservation.Resources, HostPorts = reservation.HostPorts };
        await ChangeLedgerAsync(ledger => ledger.SetItem(entry.TaskId, entry));
        return ReservationResult.Ok;
    }

    public async Task<RunResult> RunAsync(string taskId, JobSpec spec, string? replaces)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!state.State.Ledger.TryGetValue(taskId, out var entry) || !entry.Active)
        {
            throw new InvalidOperationException($"task {taskId} holds no reservation on node {_name}");
        }
        if (RunAdmission.Check(spec, entry, Options.ExecutionPolicy) is { Count: > 0 } refused)
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
        if (!_changes.TryStart(taskId))
        {
            throw new InvalidOperationException($"task {taskId} is already starting on node {_name}");
        }
        using var deadline = new CancellationTokenSource(StartDeadline);
        string? created = null;
        try
        {
            var found = await runtime.ListAsync(ContainerRequests.TaskLabels(cluster.Value.ClusterId, _name, taskId), deadline.Token);
            var earlier = found.Where(c => c.Id != replaces && !NodeSweep.IsNeverStarted(c)).ToList();
            if (earlier.Count > 0)
            {
                var kept = NodeSweep.Keep(entry, earlier)!;
                LogEarlierStart(taskId, kept.Id, _name);
                return new RunResult(null, NodeSweep.Observe(entry, kept, _unhealthy.GetValueOrDefault(taskId), _changes.Touch(taskId)));
            }
            if (await AwaitImageAsync(taskId, spec, deadline.Token) is { } waiting)
            {
                return new RunResult(null, waiting.Observe(_changes.Touch(taskId)));
            }
            Health.Unwatch(taskId);
            _unhealthy.Remove(taskId);
            await RemoveAllAsync(found, deadline.Token);
            var secrets = await NodeSecrets.OpenAsync(GrainFactory, vault, spec, _name);
            created = await runtime.CreateAsync(ContainerRequests.Create(cluster.Value.ClusterId, _name, taskId, entry.Job, spec, Options.PortHost, secrets), deadline.Token);
            await runtime.StartAsync(created, deadline.Token);
            var details = await runtime.InspectAsync(created, deadline.Token);
            var id = created;
            await ChangeLedgerAsync(ledger => ledger.TryGetValue(taskId, out var current)
                ? ledger.SetItem(taskId, current with { ContainerId = id, Health = spec.Health, StopGraceSeconds = spec.StopGraceSeconds })
                : ledger);
            LogStarted(taskId, id, _name);
            if (spec.Health is { } health && details is { Running: true })
            {
                Health.Watch(taskId, id, health, details.Ports);
            }
            var ports = (details?.Ports ?? []).Select(p => new PortBinding(p.Container, p.Host)).ToArray();
            return new RunResult(new StartedContainer(id, ports, _changes.Touch(taskId)), null);
        }
        catch (Exception e) when (EngineFaultOf(e, deadline.Token) is { } fault)
        {
            EngineFailed(fault);
            // The task goes elsewhere; whatever the engine still makes of this start once it answers carries no
            // claim any more, so the first sweep that reaches the engine removes it.
            await ForgetAsync(taskId);
            throw new EngineUnavailableException($"the engine of node {_name} did not start the container: {fault.Message}");
        }
        catch (ContainerRuntimeException e)
        {
            await TryAsync(created, ct => runtime.RemoveAsync(created!, ct));
            throw new ContainerEngineException(e.Failure == ContainerRuntimeFailure.ImageNotFound && spec.ImagePull == ImagePullPolicies.Never
                ? $"{e.Message} (imagePull is never: the node does not pull it)"
                : e.Message);
        }
        catch (Exception)
        {
            // Nothing of a failed start may run on without the task knowing it runs.
            await TryAsync(created, ct => runtime.RemoveAsync(created!, ct));
            throw;
        }
        finally
        {
            _changes.EndStart(taskId);
            if (_diedWhileStarting.Remove(taskId, out var died))
            {
                // After this answer: the task is busy until it has it.
                ReportExitAsync(taskId, died, _stopping.Token).Ignore();
            }
        }
    }

    public async Task<ContainerObservation?> InspectTaskAsync(string taskId)
    {
        if (_changes.IsStarting(taskId))
        {
            return null;
        }
        var generation = _changes.Touch(taskId);
        if (!state.State.Ledger.TryGetValue(taskId, out var entry))
        {
            return new ContainerObservation(null, ContainerStatus.NotReserved, null, $"node {_name} holds no reservation for it", generation);
        }
        var found = await EngineCallAsync(ct => runtime.ListAsync(ContainerRequests.TaskLabels(cluster.Value.ClusterId, _name, taskId), ct));
        if (_changes.ChangedSince(taskId, generation))
        {
            return null;
        }
        var keep = NodeSweep.Keep(entry, found.Where(c => !NodeSweep.IsNeverStarted(c)).ToList());
        return NodeSweep.Observe(entry, keep, _unhealthy.GetValueOrDefault(taskId), generation, _pulls.Of(taskId));
    }

    public async Task ReleaseAsync(string taskId)
    {
        _changes.Touch(taskId);
        Health.Unwatch(taskId);
        _pulls.Forget(taskId);
        if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active)
        {
            await ChangeLedgerAsync(ledger => ledger.SetItem(taskId, entry with { Active = false }));
        }
        // An ended task's container holds nothing, so it must not run on; it stays (stopped) for its logs.
        // Should the engine not answer now, the sweep stops it.
        await TryAsync(entry?.ContainerId, ct => runtime.StopAsync(entry!.ContainerId!, StopGraceOf(taskId), ct));
    }

    public async Task RemoveAsync(string taskId)
    {
        _changes.Touch(taskId);
        Health.Unwatch(taskId);
        await EngineCallAsync(ct => RemoveContainersOfAsync(taskId, ct));
        await ForgetAsync(taskId);
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
        state.State = state.State with { Draining = true, DrainDeadline = deadline > TimeSpan.Zero ? DateTimeOffset.UtcNow + deadline : null };
        await _writer.WriteAsync();
        await ReportAsync();
        var active = state.State.Ledger.Values.Where(e => e.Active).ToList();
        if (state.State.DrainDeadline is null)
        {
            // The sweep asks again, every time, until the node holds no live task.
            foreach (var entry in active)
            {
                GrainFactory.GetGrain<ITaskGrain>(entry.TaskId).DisplaceAsync($"node {_name} drained").Ignore();
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
        state.State = state.State with { Draining = false, DrainDeadline = null };
        await _writer.WriteAsync();
        await ReportAsync();
    }

    /// <summary>Lists this node's containers, reconciles them with the ledger (<see cref="NodeSweep"/>) and applies the plan.</summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var listedAt = _changes.Mark();
        IReadOnlyList<ContainerDetails> containers;
        try
        {
            containers = await runtime.ListAsync(ContainerRequests.OwnLabels(cluster.Value.ClusterId, _name), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e, _name);
            if (e is ContainerRuntimeException failure && EngineStatus.IsEngineFault(failure))
            {
                EngineFailed(failure);
            }
            return;
        }
        if (_engine.Answered())
        {
            LogEngineAnswers(_name);
        }
        var now = DateTimeOffset.UtcNow;
        var plan = NodeSweep.Compute(new SweepInput
        {
            Containers = containers,
            Ledger = state.State.Ledger,
            Busy = _changes.ChangedSince(listedAt),
            Acknowledged = _reports.Standing(now),
            Unhealthy = _unhealthy,
            Watching = Health.WatchedContainers(),
            Pulls = _pulls.ByTask,
            DrainDeadlinePassed = state.State.Draining && !(state.State.DrainDeadline > now),
            Generation = listedAt,
        });
        await ApplyAsync(plan, listedAt, cancellationToken);
        await DropSecretsAsync(containers, listedAt, cancellationToken);
        foreach (var gone in _changes.Prune(listedAt, t => !_reports.IsSending(t) && !state.State.Ledger.ContainsKey(t)))
        {
            _reports.Forget(gone);
            _unhealthy.Remove(gone);
        }
        await ReportAsync();
    }

    /// <summary>
    /// Deletes the secrets of every container that was not running when the sweep listed them, unless its task changed
    /// since: a start in flight, or one that ended after the list, has secrets a newer container may be reading.
    /// </summary>
    private async Task DropSecretsAsync(IReadOnlyList<ContainerDetails> containers, long listedAt, CancellationToken cancellationToken)
    {
        var running = containers.Where(c => c.Running).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var prefix = ContainerRequests.ContainerName(cluster.Value.ClusterId, "");
        try
        {
            await runtime.DropSecretsAsync(_name, name => running.Contains(name)
                || (name.StartsWith(prefix, StringComparison.Ordinal) && _changes.ChangedSince(name[prefix.Length..], listedAt)), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSecretsDropFailed(e, _name);
        }
    }

    private async Task ApplyAsync(SweepPlan plan, long listedAt, CancellationToken cancellationToken)
    {
        foreach (var (taskId, containerId) in plan.Remove.Where(r => !_changes.ChangedSince(r.TaskId, listedAt)))
        {
            LogRemovingStray(containerId, taskId, _name);
            await TryAsync(containerId, ct => runtime.RemoveAsync(containerId, ct), cancellationToken);
        }
        foreach (var (taskId, containerId) in plan.Stop.Where(s => !_changes.ChangedSince(s.TaskId, listedAt)))
        {
            await TryAsync(containerId, ct => runtime.StopAsync(containerId, StopGraceOf(taskId), ct), cancellationToken);
        }
        var record = plan.Record.Where(r => !_changes.ChangedSince(r.TaskId, listedAt)).ToList();
        var forget = plan.Forget.Where(t => !_changes.ChangedSince(t, listedAt)).ToList();
        if (record.Count > 0 || forget.Count > 0)
        {
            await ChangeLedgerAsync(ledger => record
                .Where(r => ledger.ContainsKey(r.TaskId))
                .Aggregate(ledger.RemoveRange(forget), (l, r) => l.SetItem(r.TaskId, l[r.TaskId] with { ContainerId = r.ContainerId })));
        }
        foreach (var taskId in plan.Unwatch)
        {
            Health.Unwatch(taskId);
        }
        foreach (var watch in plan.Watch.Where(w => !_changes.ChangedSince(w.TaskId, listedAt)))
        {
            Health.Watch(watch.TaskId, watch.ContainerId, watch.Health, watch.Ports);
        }
        foreach (var report in plan.Reports)
        {
            Report(report.TaskId, report.Observation);
        }
        foreach (var taskId in plan.Displace)
        {
            GrainFactory.GetGrain<ITaskGrain>(taskId).DisplaceAsync($"node {_name} drained").Ignore();
        }
    }

    /// <summary>
    /// Tells the task what its container does, unless a report to it is on its way. The task's answer is its
    /// acknowledgement and says what to do with the reservation; an unanswered report is sent again by the next sweep.
    /// </summary>
    private void Report(string taskId, ContainerObservation observation)
    {
        if (_reports.TryBegin(taskId))
        {
            ReportToTaskAsync(taskId, observation).Ignore();
        }
    }

    private async Task ReportToTaskAsync(string taskId, ContainerObservation observation)
    {
        try
        {
            var verdict = await GrainFactory.GetGrain<ITaskGrain>(taskId).ObserveContainerAsync(_name, observation);
            _reports.Acknowledge(taskId, observation, DateTimeOffset.UtcNow);
            if (verdict == ContainerVerdict.Keep || _changes.ChangedSince(taskId, observation.Generation))
            {
                return;
            }
            LogVerdict(taskId, verdict, _name);
            await (verdict == ContainerVerdict.Release ? ReleaseAsync(taskId) : RemoveAsync(taskId));
        }
#pragma warning disable CA1031 // Whatever failed, the next sweep reports again: that is the retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReportFailed(e, taskId, _name);
        }
        finally
        {
            _reports.End(taskId);
        }
    }

    /// <summary>
    /// Follows the engine's <c>die</c> events of this node's containers, subscribing again whenever the
    /// stream breaks; an exit is reported to its task at once instead of at the next sweep.
    /// </summary>
    private async Task WatchEventsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var died in runtime.WatchAsync(ContainerRequests.OwnLabels(cluster.Value.ClusterId, _name), cancellationToken))
                {
                    await ContainerDiedAsync(died, cancellationToken);
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

    private async Task ContainerDiedAsync(ContainerEvent died, CancellationToken cancellationToken)
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
        await ReportExitAsync(taskId, died.ContainerId, cancellationToken);
    }

    /// <summary>Reports at once that the task's container ended, if it is the task's current container and it did.</summary>
    private async Task ReportExitAsync(string taskId, string containerId, CancellationToken cancellationToken)
    {
        if (!state.State.Ledger.TryGetValue(taskId, out var entry) || !entry.Active || entry.ContainerId != containerId)
        {
            return;
        }
        Health.Unwatch(taskId);
        var generation = _changes.Touch(taskId);
        ContainerDetails? details;
        try
        {
            details = await runtime.InspectAsync(containerId, cancellationToken);
        }
        catch (ContainerRuntimeException e)
        {
            // The sweep reports it.
            LogStopFailed(e, containerId, _name);
            return;
        }
        if (details is not { Running: true } && !_changes.ChangedSince(taskId, generation))
        {
            Report(taskId, NodeSweep.Observe(entry, details, _unhealthy.GetValueOrDefault(taskId), generation));
        }
    }

    private async Task HealthChangedAsync(string taskId, TaskHealth health)
    {
        if (!state.State.Ledger.TryGetValue(taskId, out var entry) || !entry.Active || entry.ContainerId != health.ContainerId || health.ContainerId is not { } containerId)
        {
            return;
        }
        GrainFactory.GetGrain<ITaskGrain>(taskId).ReportHealthAsync(_name, health).Ignore();
        if (health.Status != HealthStatus.Unhealthy)
        {
            return;
        }
        var detail = string.Create(CultureInfo.InvariantCulture, $"health check failed {health.ConsecutiveFailures} times: {health.LastFailure}");
        LogUnhealthy(taskId, containerId, detail);
        _unhealthy[taskId] = containerId;
        Report(taskId, new ContainerObservation(containerId, ContainerStatus.Unhealthy, null, detail, _changes.Touch(taskId)));
        // Stopped, not removed: it keeps its logs, and holds nothing once its task restarts or fails.
        await TryAsync(containerId, ct => runtime.StopAsync(containerId, StopGraceOf(taskId), ct));
    }

    /// <summary>
    /// Whether the task's start must wait for its image, by the job's pull policy: null when the container can be
    /// created now; otherwise where the pull stands. A pull runs in the background under its own timeout, not this
    /// start's deadline, one per image however many tasks wait for it; when it ends the node tells each waiting task,
    /// which then asks for its start again (or, after a failure, after its backoff).
    /// </summary>
    private async Task<ImagePull?> AwaitImageAsync(string taskId, JobSpec spec, CancellationToken cancellationToken)
    {
        var pull = _pulls.Of(taskId);
        if (spec.ImagePull == ImagePullPolicies.Never || pull is { Status: ContainerStatus.Pulled } && pull.Image == spec.Image)
        {
            _pulls.Forget(taskId);
            return null;
        }
        if (pull is { Status: ContainerStatus.Pulling } && pull.Image == spec.Image)
        {
            return pull;
        }
        if (spec.ImagePull == ImagePullPolicies.Missing && await runtime.HasImageAsync(spec.Image, cancellationToken))
        {
            _pulls.Forget(taskId);
            return null;
        }
        if (_pulls.Wait(taskId, spec.Image))
        {
            LogPulling(spec.Image, _name);
            PullAsync(spec.Image).Ignore();
        }
        return _pulls.Of(taskId);
    }

    /// <summary>Pulls the image and tells every task that waits for it how the pull went.</summary>
    private async Task PullAsync(string image)
    {
        // After the answer of the start that began it, so that answer's generation is older than the pull's outcome
        // even when the pull fails at once: the task would take the outcome, arriving later, for stale.
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        string? failure = null;
        try
        {
            await runtime.PullImageAsync(image, Options.ImagePullTimeout, _stopping.Token);
            LogPulled(image, _name, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (ContainerRuntimeException e)
        {
            failure = e.Message;
            LogPullFailed(image, _name, e.Message);
            if (EngineStatus.IsEngineFault(e))
            {
                EngineFailed(e);
            }
        }
        metrics.ImagePulled(failure is null);
        foreach (var taskId in _pulls.Ended(image, failure, clock.Elapsed))
        {
            if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active && _pulls.Of(taskId) is { } pull)
            {
                Report(taskId, pull.Observe(_changes.Touch(taskId)));
            }
        }
    }

    private static ContainerRuntimeException? EngineFaultOf(Exception e, CancellationToken deadline) => e switch
    {
        ContainerRuntimeException failure when EngineStatus.IsEngineFault(failure) => failure,
        OperationCanceledException when deadline.IsCancellationRequested => new ContainerRuntimeException(
            ContainerRuntimeFailure.Timeout, $"the engine did not start it within {StartDeadline.TotalSeconds:0} s", e),
        _ => null,
    };

    private void EngineFailed(ContainerRuntimeException e)
    {
        if (_engine.Failed(e))
        {
            LogEngineUnavailable(e, _name);
        }
        ReportAsync().Ignore();
    }

    /// <summary>Runs an engine call for a caller on another grain, turning the runtime's exceptions into ones that cross the wire.</summary>
    private async Task<T> EngineCallAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return await call(CancellationToken.None);
        }
        catch (ContainerRuntimeException e) when (EngineStatus.IsEngineFault(e))
        {
            EngineFailed(e);
            throw new EngineUnavailableException($"the engine of node {_name} is not answering: {e.Message}");
        }
        catch (ContainerRuntimeException e)
        {
            throw new ContainerEngineException(e.Message);
        }
    }

    private async Task EngineCallAsync(Func<CancellationToken, Task> call) => await EngineCallAsync(async ct =>
    {
        await call(ct);
        return true;
    });

    /// <summary>Drops a task's ledger entry without asking the engine; a container left of it is then a stray to the sweep.</summary>
    private async Task ForgetAsync(string taskId)
    {
        _changes.Touch(taskId);
        Health.Unwatch(taskId);
        _unhealthy.Remove(taskId);
        _pulls.Forget(taskId);
        if (state.State.Ledger.ContainsKey(taskId))
        {
            await ChangeLedgerAsync(ledger => ledger.Remove(taskId));
        }
    }

    /// <summary>An engine call on <paramref name="containerId"/> whose failure is left to the next sweep, which does it again.</summary>
    private async Task TryAsync(string? containerId, Func<CancellationToken, Task> call, CancellationToken cancellationToken = default)
    {
        if (containerId is null)
        {
            return;
        }
        try
        {
            await call(cancellationToken);
        }
        catch (ContainerRuntimeException e)
        {
            LogStopFailed(e, containerId, _name);
        }
    }

    /// <summary>How long a stop of the task's container waits after SIGTERM: its job's <c>stopGraceSeconds</c>, as its ledger entry keeps it.</summary>
    private TimeSpan StopGraceOf(string taskId) =>
        state.State.Ledger.TryGetValue(taskId, out var entry) ? TimeSpan.FromSeconds(entry.StopGraceSeconds) : DefaultStopGrace;

    private async Task<string?> ContainerOfAsync(string taskId)
    {
        if (state.State.Ledger.TryGetValue(taskId, out var entry) && entry.ContainerId is { } known)
        {
            return known;
        }
        var found = await EngineCallAsync(ct => runtime.ListAsync(ContainerRequests.TaskLabels(cluster.Value.ClusterId, _name, taskId), ct));
        return found.OrderByDescending(c => c.Running).Select(c => c.Id).FirstOrDefault();
    }

    private async Task RemoveContainersOfAsync(string taskId, CancellationToken cancellationToken) =>
        await RemoveAllAsync(await runtime.ListAsync(ContainerRequests.TaskLabels(cluster.Value.ClusterId, _name, taskId), cancellationToken), cancellationToken);

    private async Task RemoveAllAsync(IEnumerable<ContainerDetails> containers, CancellationToken cancellationToken)
    {
        foreach (var container in containers)
        {
            await runtime.StopAsync(container.Id, container.Labels.TryGetValue(ContainerLabels.Task, out var taskId) ? StopGraceOf(taskId) : DefaultStopGrace, cancellationToken);
            await runtime.RemoveAsync(container.Id, cancellationToken);
        }
    }

    /// <summary>Changes the ledger and returns once a write that includes the change has committed; the directory hears of it.</summary>
    private async Task ChangeLedgerAsync(Func<ImmutableDictionary<string, LedgerEntry>, ImmutableDictionary<string, LedgerEntry>> change)
    {
        state.State = state.State with { Ledger = change(state.State.Ledger) };
        await _writer.WriteAsync();
        ReportSoon();
    }

    /// <summary>
    /// Sends the directory this node's figures after a change, one report at a time: a burst of reservations
    /// costs one report carrying the last of them, not one each. The sweep reports anyway, so one lost costs nothing.
    /// </summary>
    private void ReportSoon()
    {
        if (_reporting)
        {
            _reportAgain = true;
            return;
        }
        _reporting = true;
        ReportUntilCurrentAsync().Ignore();
    }

    private async Task ReportUntilCurrentAsync()
    {
        try
        {
            do
            {
                _reportAgain = false;
                await ReportAsync();
            }
            while (_reportAgain);
        }
        finally
        {
            _reporting = false;
        }
    }

    /// <summary>
    /// The node as it reports itself. While its engine does not answer, its heartbeat stays at the last
    /// answer, so the directory reads it Down once that is older than <c>NodeDownAfter</c>.
    /// </summary>
    private NodeInfo Describe()
    {
        var info = Ledger.Describe(_name, _capacity, state.State, Options.NodeLabels, machineStats.Sample()) with
        {
            Address = PublishedAddress.Of(Options.PortHost, localSilo.SiloAddress.Endpoint.Address),
        };
        return _engine.Fault is { } fault
            ? info with { LastHeartbeat = _engine.AnsweredAt, StatusReason = $"engine not answering since {_engine.AnsweredAt:O}: {fault}" }
            : info;
    }

    private Task ReportAsync() => GrainFactory.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ReportAsync(Describe());

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not delete the secrets of stopped containers; the next sweep tries again")]
    private partial void LogSecretsDropFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} active on engine {Engine} {Version}: {Cpus} CPUs, {MemoryMb} MB, {Entries} ledger entries")]
    private partial void LogActivated(string node, string engine, string version, double cpus, long memoryMb, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: container {ContainerId} started on {Node}")]
    private partial void LogStarted(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: node {Node} refused to run its spec: {Rule}")]
    private partial void LogRefusedSpec(string taskId, string node, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} asked for a start, and already has container {ContainerId} on {Node}: answered that one, started nothing")]
    private partial void LogEarlierStart(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing container {ContainerId} of task {TaskId} on {Node}: no live entry of this node claims it")]
    private partial void LogRemovingStray(string containerId, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} answered {Verdict} for its reservation on {Node}")]
    private partial void LogVerdict(string taskId, ContainerVerdict verdict, string node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not report to task {TaskId} from {Node}; the next sweep reports again")]
    private partial void LogReportFailed(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} lost the engine's event stream; subscribing again")]
    private partial void LogEventsFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop or remove container {ContainerId} on {Node}")]
    private partial void LogStopFailed(Exception exception, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: container {ContainerId} is unhealthy: {Detail}")]
    private partial void LogUnhealthy(string taskId, string containerId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: its engine is not answering; no new task is placed here until it does")]
    private partial void LogEngineUnavailable(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: its engine answers again")]
    private partial void LogEngineAnswers(string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling image {Image} on {Node}")]
    private partial void LogPulling(string image, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled image {Image} on {Node} in {Seconds:0.0} s")]
    private partial void LogPulled(string image, string node, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pull image {Image} on {Node}: {Reason}")]
    private partial void LogPullFailed(string image, string node, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not list its containers")]
    private partial void LogSweepFailed(Exception exception, string node);
}
