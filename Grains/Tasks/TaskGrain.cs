using System.Diagnostics;
using Orchestrator.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// One placement of one replica slot: it asks the scheduler for a ranking, reserves on the best node
/// that still accepts, has the node run its container, and follows the container's life through the
/// transition table until Completed or Failed. Every transition is persisted with its event.
/// </summary>
public sealed partial class TaskGrain(
    [PersistentState(StorageNames.TaskState, StorageNames.Orchestrator)] IPersistentState<TaskRecord> state,
    IOptions<OrchestratorOptions> options,
    NodeLiveness liveness,
    OrchestratorMetrics metrics,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, IStateInspectableGrain<TaskRecord>
{
    /// <summary>Events kept per task; older ones are dropped so a crash-looping task stays bounded.</summary>
    internal const int MaxEvents = 100;

    /// <summary>Candidates and rejections a task keeps of its placement explanation; the summary keeps the totals.</summary>
    internal const int KeptPlacementDetails = 5;

    /// <summary>How often a task that waits in Scheduled asks its node what became of its container, and retries an abandoned start's cleanup.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    private IGrainTimer? _placementTimer;
    private IGrainTimer? _restartTimer;
    private IGrainTimer? _checkTimer;
    // Whether _checkTimer is the slow check of a Running task rather than the quick one of a Scheduled task.
    private bool _checkingRunning;
    // Where the job's plan put this task; in memory only, for its first placement attempt.
    private PlannedPlacement? _planned;
    // The span of the call that created this task (its job's submission); its placement runs on a timer, outside it.
    private ActivityContext _origin;

    private TaskInfo? Info => state.State.Info;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Info is { State: TaskState.Pending })
        {
            StartPlacementTimer();
        }
        if (Info is { State: TaskState.Scheduled or TaskState.Running })
        {
            // Whatever was said while this task was not active, its node knows the truth: ask it. A restart that was
            // due is scheduled only after that answer: what is stored may be older than what ran (the silo died before
            // the write of Running), and a restart would replace a container that runs.
            StartCheckTimer(TimeSpan.FromSeconds(1));
        }
        return Task.CompletedTask;
    }

    // For the dashboard's grain-state view, which anyone allowed to read may open: env values stay hidden there.
    public Task<TaskRecord> GetStateAsync() => Task.FromResult(state.State.Info is { } info ? state.State with { Info = EnvRedaction.Redact(info) } : state.State);

    public Task<TaskInfo?> GetAsync() => Task.FromResult(Info);

    public Task<JobSpec?> GetSpecAsync() => Task.FromResult(Info?.Spec);

    public async Task<TaskInfo> StartAsync(TaskAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (Info is { } existing)
        {
            return existing;
        }
        var now = DateTimeOffset.UtcNow;
        var info = new TaskInfo
        {
            Id = this.GetPrimaryKeyString(),
            Job = assignment.Job,
            Slot = assignment.Slot,
            Spec = assignment.Spec,
            Version = assignment.Version,
            State = TaskState.Pending,
            CreatedAt = now,
            Reason = assignment.Why ?? "created by job",
            ExcludedNodes = assignment.ExcludedNodes,
            Events = new[] { new TaskEvent(now, null, TaskState.Pending, assignment.Why is { } why
                ? $"created for replica {assignment.Slot} of job {assignment.Job}: {why}"
                : $"created for replica {assignment.Slot} of job {assignment.Job}") },
        };
        // Not written yet: the task's first write is its placement (Scheduled), or why no node fits, one write less per
        // task. Should this activation die before it, the job's next reconcile finds a slot whose task has no state,
        // and starts it again; a reservation made meanwhile is claimed by no one and goes back to its node.
        state.State = new TaskRecord { Info = info };
        _planned = assignment.Planned;
        _origin = Activity.Current?.Context ?? default;
        StartPlacementTimer();
        return info;
    }

    public async Task PlaceAsync()
    {
        if (Info is not { State: TaskState.Pending, Spec: { } spec } info)
        {
            return;
        }
        using var span = OrchestratorTracing.Source.StartActivity("place task", ActivityKind.Internal, _origin)?.SetTag("orch.job", info.Job).SetTag("orch.task", info.Id);
        var reservation = Ledger.For(info.Id, info.Job, spec);
        if (_planned is { Explanation: var plan } planned && !info.ExcludedNodes.Contains(planned.Node))
        {
            // The job's plan ranked every node for this replica already: its node is asked first, without ranking again.
            _planned = null;
            if (plan.Candidates.FirstOrDefault(c => c.Node == planned.Node) is { } chosen)
            {
                if ((await ReserveOnAsync(planned.Node, reservation)).Accepted)
                {
                    await PlacedAsync(chosen, plan);
                    return;
                }
                metrics.Refused();
            }
        }
        var scheduler = GrainFactory.GetGrain<ISchedulerGrain>(0);
        var ranking = await scheduler.RankAsync(new PlacementRequest(info.Id, spec, info.ExcludedNodes));
        var refusals = new List<NodeRejection>();
        foreach (var candidate in ranking.Candidates)
        {
            var result = await ReserveOnAsync(candidate.Node, reservation);
            if (result.Accepted)
            {
                var explanation = ranking with { ChosenNode = candidate.Node, Rejections = ranking.Rejections.Concat(refusals).ToArray() };
                await PlacedAsync(candidate, explanation.Condensed(KeptPlacementDetails));
                return;
            }
            metrics.Refused();
            refusals.Add(result.RejectionOn(candidate.Node));
        }

        var unplaced = (ranking with { Rejections = ranking.Rejections.Concat(refusals).ToArray(), Candidates = Array.Empty<NodeScore>() }).Condensed(KeptPlacementDetails);
        var reason = $"no node fits: {unplaced.Summary()}";
        metrics.Unplaced();
        if (info.Reason != reason || !SameRejections(info.Placement, unplaced))
        {
            // Only a changed reason is written: a task waiting for capacity should not rewrite its row every retry.
            state.State = state.State with { Info = info with { Reason = reason, Placement = unplaced } };
            await state.WriteStateAsync();
            LogUnplaced(info.Id, reason);
        }
    }

    private async Task<ReservationResult> ReserveOnAsync(string node, Reservation reservation)
    {
        using var span = OrchestratorTracing.Source.StartActivity("reserve")?.SetTag("orch.node", node);
        try
        {
            return await GrainFactory.GetNode(node).ReserveAsync(reservation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ReservationResult.Refused(RejectionReasons.NodeUnreachable, $"{RejectionReasons.NodeUnreachable}: {e.Message}");
        }
    }

    public async Task<TaskInfo> StopAsync(string reason)
    {
        if (Info is not { } info)
        {
            throw new KeyNotFoundException($"no task {this.GetPrimaryKeyString()}");
        }
        if (info.Node is { } node)
        {
            // Should the node not answer now, it removes the container when it next reports it: this task then
            // answers Remove, as it no longer claims it.
            await RemoveFromNodeAsync(node);
        }
        if (TaskTransitions.IsTerminal(info.State))
        {
            return info;
        }
        StopTimers();
        await TransitionAsync(TaskState.Completed, reason, i => i with { ContainerId = null }, r => r with { AbandonedStart = null, RestartDueAt = null });
        return Info!;
    }

    public async Task<bool> ForgetAsync()
    {
        if (Info is { } info)
        {
            if (!TaskTransitions.IsTerminal(info.State))
            {
                return false;
            }
            if (info.Node is { } node)
            {
                try
                {
                    await GrainFactory.GetNode(node).RemoveAsync(info.Id);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A node that is gone cannot be asked; the task is forgotten anyway so its job's history stays bounded.
                    LogForgetUnreachable(e, info.Id, node);
                }
            }
        }
        StopTimers();
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return true;
    }

    public async Task<ContainerVerdict> ObserveContainerAsync(string node, ContainerObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var decision = ObservationRules.Decide(Info, state.State, node, observation);
        await ActAsync(decision.Action, observation);
        return decision.Verdict;
    }

    public async Task ReportHealthAsync(string node, TaskHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        // Only about the container this task runs now; a verdict on a replaced one is history.
        if (Info is not { } info || info.Node != node || info.ContainerId != health.ContainerId || info.Health == health)
        {
            return;
        }
        state.State = state.State with { Info = info with { Health = health } };
        await state.WriteStateAsync();
        if (health.Status is HealthStatus.Healthy or HealthStatus.Unhealthy)
        {
            LogHealth(info.Id, health.Status, health.LastFailure ?? "");
        }
    }

    public async Task NodeLostAsync(string node, string reason)
    {
        if (Info is not { } info || info.Node != node || TaskTransitions.IsTerminal(info.State))
        {
            return;
        }
        StopTimers();
        await TransitionAsync(TaskState.Failed, reason, i => i with { Displaced = true });
        // The node may be back already (its silo restarted while the loss was being declared), its first sweep
        // done and this task told its container runs: it would not tell again, and the container would run on
        // beside this task's replacement. A node still gone is cleaned up on its return, when its first sweep
        // asks every task it holds.
        if (liveness.Judge(node) == NodeVerdict.Alive)
        {
            GrainFactory.GetNode(node).RemoveAsync(info.Id).Ignore();
        }
    }

    public async Task DisplaceAsync(string reason)
    {
        if (Info is not { } info || TaskTransitions.IsTerminal(info.State))
        {
            return;
        }
        StopTimers();
        if (info.Node is { } node)
        {
            await RemoveFromNodeAsync(node);
        }
        await TransitionAsync(TaskState.Completed, reason, i => i with { Displaced = true, ContainerId = null }, r => r with { AbandonedStart = null, RestartDueAt = null });
    }

    private async Task PlacedAsync(NodeScore chosen, PlacementExplanation explanation)
    {
        StopTimers();
        var reason = $"placed on {chosen.Node} by {explanation.Scheduler} (score {chosen.Score:0.###}; {explanation.Summary()})";
        metrics.Placed(DateTimeOffset.UtcNow - Info!.CreatedAt);
        await TransitionAsync(TaskState.Scheduled, reason, i => i with { Node = chosen.Node, Placement = explanation });
        await StartContainerAsync(Info!);
    }

    private async Task StartContainerAsync(TaskInfo info)
    {
        var node = info.Node!;
        using var span = OrchestratorTracing.Source.StartActivity("start container")?.SetTag("orch.task", info.Id).SetTag("orch.node", node);
        RunResult result;
        try
        {
            result = await GrainFactory.GetNode(node).RunAsync(info.Id, info.Spec!, info.ContainerId);
        }
        catch (Exception e) when (e is ContainerEngineException or JobSpecException)
        {
            // The engine refused the container (and the node removed what it made), or the node refused the spec
            // before making anything: the task's own failure.
            LogStartFailed(e, info.Id, node);
            await ContainerEndedAsync(null, $"could not start: {e.Message}", null);
            return;
        }
        catch (Exception e) when (e is EngineUnavailableException or InvalidOperationException || (e is not OperationCanceledException && !IsNodeAlive(node)))
        {
            // The machine failed, not the task, and nothing runs of this start (the node dropped the claim, holds
            // none, or is gone): it costs no restart, and the job places the replica on another node.
            LogStartFailed(e, info.Id, node);
            await TransitionAsync(TaskState.Failed, $"could not start on {node}: {e.Message}; moved to another node", i => i with { Displaced = true });
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answer was lost (a timeout, a silo in trouble): the container may exist. It must be removed, or
            // found running, before the replica may run anywhere else.
            LogStartFailed(e, info.Id, node);
            state.State = state.State with { AbandonedStart = $"could not start on {node}: {e.Message}" };
            await state.WriteStateAsync();
            StartCheckTimer(CheckInterval);
            return;
        }
        if (result.Started is not { } started)
        {
            // A start this task's stored state does not record (its answer, or the write after it, was lost): the
            // container it made is the task's, running or ended, and is never started a second time.
            var found = result.Found!;
            await ActAsync(ObservationRules.Decide(info, state.State, node, found).Action, found);
            return;
        }
        await TransitionAsync(
            TaskState.Running,
            $"container {Short(started.ContainerId)} started on {node}",
            i => i with { ContainerId = started.ContainerId, Ports = started.Ports, Health = null, PullFailure = null },
            r => r with { RunningSince = DateTimeOffset.UtcNow, ObservedGeneration = Math.Max(r.ObservedGeneration, started.Generation), PullFailures = 0 });
    }

    /// <summary>Does what <see cref="ObservationRules"/> decided about a report or an answer of the node.</summary>
    private async Task ActAsync(ObservationAction action, ContainerObservation observation)
    {
        if (action == ObservationAction.None)
        {
            return;
        }
        var info = Info!;
        state.State = state.State with { ObservedGeneration = Math.Max(state.State.ObservedGeneration, observation.Generation) };
        switch (action)
        {
            case ObservationAction.Adopt when info.State == TaskState.Running:
                state.State = state.State with { Info = info with { ContainerId = observation.ContainerId }, AbandonedStart = null };
                await state.WriteStateAsync();
                LogAdopted(info.Id, observation.ContainerId ?? "?", info.Node!);
                break;
            case ObservationAction.Adopt:
                StopTimers();
                await TransitionAsync(
                    TaskState.Running,
                    $"adopted running container {Short(observation.ContainerId)} on {info.Node}",
                    i => i with { ContainerId = observation.ContainerId },
                    r => r with { RestartDueAt = null, AbandonedStart = null, RunningSince = r.RunningSince ?? DateTimeOffset.UtcNow });
                break;
            case ObservationAction.Ended:
                await ContainerEndedAsync(observation.ExitCode, observation.Detail, observation.ContainerId);
                break;
            case ObservationAction.Start:
                ScheduleRestart(TimeSpan.Zero);
                break;
            case ObservationAction.Pulling:
                await WaitForImageAsync(info, observation.Detail);
                break;
            case ObservationAction.Pulled:
                await TransitionAsync(TaskState.Scheduled, $"{observation.Detail} on {info.Node}", i => i with { PullFailure = null }, r => r with { PullFailures = 0 });
                ScheduleRestart(TimeSpan.Zero);
                break;
            case ObservationAction.PullFailed:
                await PullFailedAsync(info, observation.Detail);
                break;
            default:
                StopTimers();
                await TransitionAsync(TaskState.Failed, $"node {info.Node} holds no reservation for it; moved to another node", i => i with { Displaced = true });
                break;
        }
    }

    /// <summary>Records, once, that the task waits for its node to pull its image; a pull in flight needs nothing more of the task.</summary>
    private async Task WaitForImageAsync(TaskInfo info, string pulling)
    {
        var reason = $"{pulling} on {info.Node}";
        if (info.Reason != reason)
        {
            await TransitionAsync(TaskState.Scheduled, reason, i => i);
        }
    }

    /// <summary>
    /// The pull of the task's image failed: the task stays Scheduled on its node with the engine's reason and asks for
    /// its start (and so a pull) again after a backoff. Its container never ran, so no restart is spent.
    /// </summary>
    private async Task PullFailedAsync(TaskInfo info, string failure)
    {
        var delay = ImagePullRules.Backoff(state.State.PullFailures);
        var due = DateTimeOffset.UtcNow + delay;
        await TransitionAsync(
            TaskState.Scheduled,
            $"{failure} (on {info.Node}); pulling again in {delay.TotalSeconds:0}s",
            i => i with { PullFailure = failure },
            r => r with { PullFailures = r.PullFailures + 1, RestartDueAt = due });
        ScheduleRestart(delay);
    }

    /// <summary>
    /// Asks the task's node what became of its container (on activation, and while the task waits in Scheduled),
    /// and finishes an abandoned start: the node removes what it may have made, or the node is gone, before the slot moves.
    /// </summary>
    private async Task CheckNodeAsync()
    {
        if (Info is not { State: TaskState.Scheduled or TaskState.Running, Node: { } node } info)
        {
            StopCheckTimer();
            return;
        }
        if (state.State.AbandonedStart is { } abandoned)
        {
            if (!await RemoveFromNodeAsync(node))
            {
                return;
            }
            StopTimers();
            await TransitionAsync(TaskState.Failed, $"{abandoned}; its container is removed, moved to another node", i => i with { Displaced = true }, r => r with { AbandonedStart = null });
            return;
        }
        ContainerObservation? observation;
        try
        {
            observation = await GrainFactory.GetNode(node).InspectTaskAsync(info.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A node that is gone is its job's to notice (node liveness); one that is busy is asked again.
            LogCheckFailed(e, info.Id, node);
            return;
        }
        if (observation is not null)
        {
            var decision = ObservationRules.Decide(info, state.State, node, observation);
            await ActAsync(decision.Action, observation);
            if (Info is { State: TaskState.Scheduled } && state.State is { RestartDueAt: { } due, AbandonedStart: null } && _restartTimer is null)
            {
                // Nothing of it runs on the node: the restart that was due (before this activation) goes ahead.
                ScheduleRestart(due - DateTimeOffset.UtcNow);
            }
        }
        if (Info is { State: TaskState.Running })
        {
            CheckWhileRunning();
        }
        else if (Info is not { State: TaskState.Scheduled })
        {
            StopCheckTimer();
        }
    }

    /// <summary>Has the node remove the task's container and reservation; true when it did, or the node is gone.</summary>
    private async Task<bool> RemoveFromNodeAsync(string node)
    {
        try
        {
            await GrainFactory.GetNode(node).RemoveAsync(this.GetPrimaryKeyString());
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRemoveFailed(e, this.GetPrimaryKeyString(), node);
            return !IsNodeAlive(node);
        }
    }

    /// <summary>False once the node is lost by the cluster's one rule (<see cref="NodeLiveness"/>); a node too soon to judge counts as alive.</summary>
    private bool IsNodeAlive(string node) => liveness.Judge(node) != NodeVerdict.Lost;

    /// <summary>Ends the task's container run by its restart policy: restart in place, Completed or Failed.</summary>
    /// <param name="exitCode">The container's exit code, null when it never ran or is gone.</param>
    /// <param name="what">What happened, in words, for the reason.</param>
    /// <param name="containerId">The container that ended, which a restart replaces; null keeps the one the task knows.</param>
    private async Task ContainerEndedAsync(int? exitCode, string what, string? containerId)
    {
        var info = Info!;
        var ranLong = state.State.RunningSince is { } since && DateTimeOffset.UtcNow - since >= RestartRules.BackoffResetAfter;
        var step = ranLong ? 0 : state.State.BackoffStep;
        var decision = RestartRules.Decide(info.Spec!.Restart, exitCode, info.Restarts, step, what);
        switch (decision.Outcome)
        {
            case RestartOutcome.Restart:
                var due = DateTimeOffset.UtcNow + decision.Delay;
                await TransitionAsync(
                    TaskState.Scheduled,
                    decision.Reason,
                    i => i with { Restarts = i.Restarts + 1, LastExitCode = exitCode ?? i.LastExitCode, ContainerId = containerId ?? i.ContainerId },
                    r => r with { BackoffStep = step + 1, RunningSince = null, RestartDueAt = due });
                metrics.Restarted(info.Job);
                ScheduleRestart(decision.Delay);
                break;
            case RestartOutcome.Complete:
                await TransitionAsync(TaskState.Completed, decision.Reason, i => i with { LastExitCode = exitCode ?? i.LastExitCode, ContainerId = containerId ?? i.ContainerId });
                await ReleaseOnNodeAsync(info);
                break;
            default:
                await TransitionAsync(TaskState.Failed, decision.Reason, i => i with { LastExitCode = exitCode ?? i.LastExitCode, ContainerId = containerId ?? i.ContainerId });
                await ReleaseOnNodeAsync(info);
                break;
        }
    }

    /// <summary>Frees the ended task's reservation at once; should the node not answer, its next report is answered Release.</summary>
    private async Task ReleaseOnNodeAsync(TaskInfo info)
    {
        try
        {
            await GrainFactory.GetNode(info.Node!).ReleaseAsync(info.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRemoveFailed(e, info.Id, info.Node!);
        }
    }

    /// <summary>Moves the task to <paramref name="to"/> with an event, and writes that with any <paramref name="record"/> change in one write.</summary>
    private async Task TransitionAsync(TaskState to, string reason, Func<TaskInfo, TaskInfo> change, Func<TaskRecord, TaskRecord>? record = null)
    {
        var info = Info!;
        if (!TaskTransitions.IsAllowed(info.State, to))
        {
            throw new InvalidOperationException($"task {info.Id}: {info.State} → {to} is not an allowed transition");
        }
        var evt = new TaskEvent(DateTimeOffset.UtcNow, info.State, to, reason);
        var events = info.Events.Count >= MaxEvents ? info.Events.Skip(info.Events.Count - MaxEvents + 1) : info.Events;
        var next = change(info) with { State = to, Reason = reason, Events = events.Append(evt).ToArray() };
        state.State = (record?.Invoke(state.State) ?? state.State) with { Info = next };
        await state.WriteStateAsync();
        LogTransition(info.Id, info.State, to, reason);
        if (to == TaskState.Failed)
        {
            LogFailed(info.Id, reason);
        }
        if (to == TaskState.Running)
        {
            if (info.State == TaskState.Scheduled && PlacedAt(info) is { } placedAt)
            {
                metrics.Started(evt.Time - placedAt);
            }
            CheckWhileRunning();
        }
        else
        {
            // The job acts on a task's node (known from Scheduled on) and on its end, never on Running: at a thousand
            // replicas these notices queue behind the job's own calls, so the one it does not need is not sent.
            GrainFactory.GetJob(info.Job).TaskChangedAsync(next).Ignore();
        }
    }

    /// <summary>When the task was placed, if its current stay in Scheduled began with its placement rather than a restart.</summary>
    private static DateTimeOffset? PlacedAt(TaskInfo info) =>
        info.Events.LastOrDefault(e => e.To == TaskState.Scheduled && e.From != TaskState.Scheduled) is { From: TaskState.Pending } placed ? placed.Time : null;

    private void StartPlacementTimer()
    {
        _placementTimer?.Dispose();
        _placementTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.PlaceAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = options.Value.PlacementRetry, KeepAlive = true });
    }

    private void ScheduleRestart(TimeSpan delay)
    {
        _restartTimer?.Dispose();
        _restartTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.RestartNowAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    private async Task RestartNowAsync()
    {
        _restartTimer?.Dispose();
        _restartTimer = null;
        if (Info is not { State: TaskState.Scheduled } info || state.State.AbandonedStart is not null)
        {
            return;
        }
        state.State = state.State with { RestartDueAt = null };
        await StartContainerAsync(info);
    }

    private void StartCheckTimer(TimeSpan dueTime)
    {
        _checkTimer?.Dispose();
        _checkingRunning = false;
        _checkTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.CheckNodeAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = dueTime, Period = CheckInterval, KeepAlive = true });
    }

    /// <summary>
    /// Asks the node now and then while the task runs. The timer does not keep the task active: an idle one is asked
    /// again when it next activates (its job's reconcile reads it every minute).
    /// </summary>
    private void CheckWhileRunning()
    {
        if (_checkingRunning)
        {
            return;
        }
        _checkTimer?.Dispose();
        var period = options.Value.RunningCheckInterval;
        _checkTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.CheckNodeAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = period * (0.5 + (Random.Shared.NextDouble() / 2)), Period = period, KeepAlive = false });
        _checkingRunning = true;
    }

    private void StopCheckTimer()
    {
        _checkTimer?.Dispose();
        _checkTimer = null;
        _checkingRunning = false;
    }

    private void StopTimers()
    {
        _placementTimer?.Dispose();
        _placementTimer = null;
        _restartTimer?.Dispose();
        _restartTimer = null;
    }

    private static bool SameRejections(PlacementExplanation? before, PlacementExplanation after) =>
        before is not null && before.Rejections.Select(r => r.Detail).SequenceEqual(after.Rejections.Select(r => r.Detail));

    private static string Short(string? containerId) => containerId is { Length: > 12 } ? containerId[..12] : containerId ?? "?";

    // Debug: every transition is in the task's own events (orch events); at thousands of tasks a second the log would cost more than the work.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: {From} -> {To}: {Reason}")]
    private partial void LogTransition(string taskId, TaskState from, TaskState to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} failed: {Reason}")]
    private partial void LogFailed(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} health: {Status} {LastFailure}")]
    private partial void LogHealth(string taskId, HealthStatus status, string lastFailure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} waits for a node: {Reason}")]
    private partial void LogUnplaced(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} adopted its running container {ContainerId} on {Node}")]
    private partial void LogAdopted(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} is forgotten, but its node {Node} could not remove its container")]
    private partial void LogForgetUnreachable(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not ask its node {Node} about its container; asking again later")]
    private partial void LogCheckFailed(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its node {Node} could not remove or release its container now")]
    private partial void LogRemoveFailed(Exception exception, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not start its container on {Node}")]
    private partial void LogStartFailed(Exception exception, string taskId, string node);
}
