using System.Collections.Immutable;
using Orchestrator.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Jobs.Batch;
using Orchestrator.Grains.Jobs.Rollout;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Tasks;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// A job, keyed by its name: holds the desired spec and its versions, and after every change reconciles its slots with
/// it (<see cref="JobReconciler"/>), creating tasks for empty slots and stopping surplus ones, and rolls outdated
/// replicas over to the latest version (<see cref="RolloutPlanner"/>), re-reading its tasks every
/// <see cref="OrchestratorOptions.RolloutCheckInterval"/> while a rollout is under way.
/// Its reminder also prunes: tasks that gave up their slot longer than <see cref="OrchestratorOptions.TaskRetention"/>
/// ago are forgotten, and so is a stopped job once all of its tasks are.
/// Node loss is a level, not an event: every reconcile, and a cheap check every <see cref="OrchestratorOptions.NodeLossCheckInterval"/>,
/// ends the tasks whose node <see cref="NodeLiveness"/> finds lost and fills their slots again, whether or not the
/// node directory's notice (<see cref="NodeLostAsync"/>) arrived.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState(StorageNames.JobState, StorageNames.Orchestrator)] IPersistentState<JobState> state,
    ClusterView view,
    NodeLiveness liveness,
    IOptions<OrchestratorOptions> options,
    SecretVault vault,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IStateInspectableGrain<JobState>, IRemindable
{
    /// <summary>
    /// Reconciles every active job periodically even when nothing calls it, and prunes active and stopped
    /// jobs. A reminder, unlike a timer, is stored in PostgreSQL and fires on a surviving silo after the job's silo dies.
    /// </summary>
    private const string ReconcileReminder = "reconcile";
    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(10);
    // A rollout timer due when a task counts fires a little after, so that the task has counted when it looks.
    private static readonly TimeSpan QuietMargin = TimeSpan.FromMilliseconds(100);

    /// <summary>Tasks remembered per job; beyond it the oldest ended ones are forgotten before their retention ends.</summary>
    internal const int MaxHistory = 1000;

    // The last known state of each task in a slot; refreshed from the tasks when the job activates.
    private readonly Dictionary<string, TaskInfo> _tasks = new(StringComparer.Ordinal);
    private bool _loaded;
    private object? _indexedSlots;
    private object? _indexedSurge;
    private HashSet<string> _slotHolders = new(StringComparer.Ordinal);
    private IGrainTimer? _reminderRetry;
    private IGrainTimer? _rolloutTimer;
    // Where the latest rollout stood at the last reconcile; in memory only, derived again by every reconcile.
    private RolloutProgress? _progress;
    // When the rollout can next move by time alone (RolloutPlan.QuietUntil); until then its timer need not ask the tasks.
    private DateTimeOffset? _quietUntil;
    private bool _rolloutDeferred;

    private string Name => GrainKeys.JobName(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // In memory only, and not keeping the job active: it reads no task grain and no storage, only the cached
        // task infos and this silo's membership snapshot, so it is cheap enough for every job every few seconds.
        this.RegisterGrainTimer(
            static (grain, _) => grain.CheckNodesAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = options.Value.NodeLossCheckInterval, Period = options.Value.NodeLossCheckInterval });
        // A rollout under way when the job's last activation ended (its silo died) carries on from what was stored.
        KeepRolling();
        return Task.CompletedTask;
    }

    // For the dashboard's grain-state view, which anyone allowed to read may open: env values stay hidden there.
    public Task<JobState> GetStateAsync() => Task.FromResult(state.State with
    {
        Spec = state.State.Spec is { } spec ? EnvRedaction.Redact(spec) : null,
        Versions = [.. state.State.Versions.Select(v => v with { Spec = EnvRedaction.Redact(v.Spec) })],
    });

    public async Task<JobInfo?> GetAsync()
    {
        if (state.State.Spec is not { } spec)
        {
            return null;
        }
        if (spec.IsScheduled)
        {
            return Describe() with { Schedule = await GrainFactory.GetJobSchedule(Name).GetAsync() };
        }
        if (spec.IsBatch && !_loaded)
        {
            // A batch job's outcome is its tasks' states. This call interleaves with the job's own work, so it reads
            // them for itself rather than filling the job's cache.
            var infos = await Task.WhenAll(state.State.Slots.Values.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).GetAsync()));
            return Describe(infos.OfType<TaskInfo>().ToDictionary(t => t.Id, StringComparer.Ordinal));
        }
        return Describe();
    }

    public async Task<IReadOnlyList<TaskSummary>> ListTasksAsync(TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        // A task tells its job when it ends, so an ended task the job holds is final; a live one does not tell of Running,
        // health or ports, so it answers for itself. Like GetAsync, this interleaves: it reads the cache and fills nothing.
        var ids = query.Select([.. state.State.Slots.Values, .. state.State.Surge.Values], state.State.History);
        var infos = await Task.WhenAll(ids.Select(id => _tasks.GetValueOrDefault(id) is { } known && TaskTransitions.IsTerminal(known.State)
            ? Task.FromResult<TaskInfo?>(known)
            : GrainFactory.GetGrain<ITaskGrain>(id).GetAsync()));
        return query.Summarize(infos.OfType<TaskInfo>());
    }

    public async Task<JobInfo> SubmitAsync(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Name != Name)
        {
            throw new JobSpecException(new[] { new SpecError("name", $"must be the job's name '{Name}' (got '{spec.Name}')") });
        }
        // The parent of the tasks' placement spans: the tasks remember it for their placement timers.
        using var span = OrchestratorTracing.Source.StartActivity("submit job")?.SetTag("orch.job", Name);
        // The silo's cached view (at most a moment old) rather than the directory itself: every submission asks.
        var nodes = await view.CurrentAsync(GrainFactory);
        var live = nodes.Where(n => n.Status != NodeStatus.Down).ToList();
        NodeCapacity? largest = live.Count == 0 ? null : new NodeCapacity(live.Max(n => n.Cpus), live.Max(n => n.MemoryMb));
        JobSpecValidator.EnsureValid(spec, options.Value.ExecutionPolicy, largest);
        await SecretReferences.EnsureExistAsync(GrainFactory, spec, vault);

        var scheduled = state.State.Spec?.IsScheduled == true;
        await Task.WhenAll(GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).AddAsync(Name), ArmReconcileReminderAsync());
        await ChangeAsync(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            state.State = state.State with { Spec = spec, Status = JobStatus.Active, UpdatedAt = now, Versions = JobVersions.Submit(state.State.Versions, spec, now) };
            LogSubmitted(Name, spec.Image, spec.Replicas, state.State.Versions[^1].Number);
            // The spec is written together with the slots it leads to: one write per submission.
            await ReconcileCoreAsync(refillEnded: true, changed: true);
        });
        if (spec.IsScheduled || scheduled)
        {
            WakeSchedule();
        }
        return Describe();
    }

    public async Task<JobInfo> StopAsync()
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        await ChangeAsync(() =>
        {
            state.State = state.State with { Status = JobStatus.Stopped, UpdatedAt = DateTimeOffset.UtcNow };
            return state.WriteStateAsync();
        });
        LogStopped(Name, spec.Replicas);
        // The reminder stays: it removes the stopped job once the retention has passed.
        await ArmReconcileReminderAsync();
        await ReconcileCoreAsync(refillEnded: false);
        // Ended tasks keep their containers for their logs; stopping the job removes those too.
        await Task.WhenAll(state.State.History.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).StopAsync("job stopped")));
        if (spec.IsScheduled)
        {
            WakeSchedule();
        }
        return Describe();
    }

    public async Task<JobInfo> ScaleAsync(int replicas)
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        var scaled = spec with { Replicas = replicas };
        JobSpecValidator.EnsureValid(scaled, options.Value.ExecutionPolicy);
        await ChangeAsync(() =>
        {
            var now = DateTimeOffset.UtcNow;
            var versions = state.State.Versions.IsEmpty ? state.State.Versions : JobVersions.Submit(state.State.Versions, scaled, now);
            state.State = state.State with { Spec = scaled, Status = JobStatus.Active, UpdatedAt = now, Versions = versions };
            return state.WriteStateAsync();
        });
        await ArmReconcileReminderAsync();
        LogScaled(Name, spec.Replicas, replicas);
        await ReconcileCoreAsync(refillEnded: false);
        return Describe();
    }

    public async Task<JobInfo> RollbackAsync(int? version)
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        var versions = state.State.Versions;
        var wanted = version ?? (versions.Count >= 2 ? versions[^2].Number : null);
        var target = versions.FirstOrDefault(v => v.Number == wanted && v.Number != LatestVersion)
            ?? throw new JobSpecException(new[] { new SpecError("version", RollbackRefusal(version, versions)) });
        var rolledBack = target.Spec with { Replicas = spec.Replicas };
        await ChangeAsync(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            state.State = state.State with
            {
                Spec = rolledBack,
                Status = JobStatus.Active,
                UpdatedAt = now,
                Versions = JobVersions.Submit(versions, rolledBack, now, $"rollback to version {target.Number}"),
            };
            LogRolledBack(Name, target.Number, state.State.Versions[^1].Number);
            await ReconcileCoreAsync(refillEnded: true, changed: true);
        });
        await ArmReconcileReminderAsync();
        return Describe();
    }

    private static string RollbackRefusal(int? version, ImmutableList<JobVersion> versions) => version switch
    {
        null => "the job has no earlier version to roll back to",
        _ when versions.Count > 0 && version == versions[^1].Number => $"must be an earlier version than the latest, {version}",
        _ => $"must be one of the versions the job keeps: {string.Join(", ", versions.Select(v => v.Number))} (got {version})",
    };

    public async Task ReconcileAsync()
    {
        if (state.State.Spec is null)
        {
            return;
        }
        // An explicit reconcile re-reads every task rather than trusting the notifications received.
        _loaded = false;
        await LoadTasksAsync();
        await EndTasksOnLostNodesAsync();
        await ReconcileCoreAsync(refillEnded: false);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null)
        {
            // Removed, but the removal did not get as far as the reminder: finish it.
            await UnregisterAsync();
            return;
        }
        if (state.State.Spec.IsScheduled)
        {
            WakeSchedule();
        }
        if (state.State.Status == JobStatus.Active)
        {
            await ReconcileAsync();
        }
        await PruneAsync(DateTimeOffset.UtcNow);
    }

    public async Task NodeLostAsync(string node, string reason)
    {
        if (state.State.Spec is null)
        {
            return;
        }
        await LoadTasksAsync();
        var lost = LiveTasks().Where(t => t.Node == node).ToList();
        if (lost.Count == 0)
        {
            return;
        }
        await EndLostTasksAsync(lost, _ => reason);
        await ReconcileCoreAsync(refillEnded: false);
    }

    public async Task TaskChangedAsync(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!HoldsSlot(task.Id))
        {
            return;
        }
        _tasks[task.Id] = task;
        if (state.State.Spec is { } spec && TaskTransitions.IsTerminal(task.State) && (task.Displaced || (spec.IsBatch && task.State == TaskState.Failed)))
        {
            await ReconcileCoreAsync(refillEnded: false);
        }
    }

    /// <summary>
    /// Registers the periodic reconcile (and prune). The reminder is a safety net, not the change itself: when the
    /// reminder service cannot take it yet (it loads for a while after a silo starts; the database may be away
    /// for a moment), the submission still succeeds and a timer registers it a little later.
    /// </summary>
    private async Task ArmReconcileReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReconcileReminder, options.Value.ReconcileInterval, options.Value.ReconcileInterval);
            _reminderRetry?.Dispose();
            _reminderRetry = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReminderDeferred(e, Name, ReminderRetry.TotalSeconds);
            _reminderRetry ??= this.RegisterGrainTimer(
                static (grain, _) => grain.ArmReconcileReminderAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = ReminderRetry, Period = ReminderRetry, KeepAlive = true });
        }
    }

    /// <summary>
    /// Applies a change to the state; if it fails part way, memory goes back to what it was and the job deactivates,
    /// so that the next call reads what storage holds (the write may or may not have reached it) rather than a
    /// change that was refused.
    /// </summary>
    private async Task ChangeAsync(Func<Task> change)
    {
        var before = state.State;
        try
        {
            await change();
        }
        catch
        {
            state.State = before;
            _loaded = false;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>The cheap periodic check: only the cached tasks, against this silo's membership snapshot; a job not loaded yet reconciles fully.</summary>
    private async Task CheckNodesAsync()
    {
        if (state.State is not { Spec: not null, Status: JobStatus.Active })
        {
            return;
        }
        if (!_loaded)
        {
            await ReconcileAsync();
            return;
        }
        if (await EndTasksOnLostNodesAsync())
        {
            await ReconcileCoreAsync(refillEnded: false);
        }
    }

    /// <summary>Ends the tasks whose node is lost (<see cref="NodeLiveness"/>) as displaced, so the reconcile after it fills their slots; true if there were any.</summary>
    private async Task<bool> EndTasksOnLostNodesAsync()
    {
        if (state.State.Status != JobStatus.Active)
        {
            return false;
        }
        var lost = LiveTasks().Where(t => t.Node is { } node && liveness.Judge(node) == NodeVerdict.Lost).ToList();
        if (lost.Count == 0)
        {
            return false;
        }
        await EndLostTasksAsync(lost, node => $"node {node} lost: its silo {NodeNames.SiloOf(node)} has no live member in the cluster (found by job {Name})");
        return true;
    }

    private async Task EndLostTasksAsync(IReadOnlyList<TaskInfo> lost, Func<string, string> reason)
    {
        await Task.WhenAll(lost.Select(t => GrainFactory.GetGrain<ITaskGrain>(t.Id).NodeLostAsync(t.Node!, reason(t.Node!))));
        foreach (var node in lost.GroupBy(t => t.Node!, StringComparer.Ordinal))
        {
            LogNodeLost(Name, node.Count(), node.Key);
        }
        _loaded = false;
    }

    /// <summary>Whether the task holds one of the job's slots; the ids are indexed once per change of the slots, not scanned per call.</summary>
    private bool HoldsSlot(string taskId)
    {
        if (!ReferenceEquals(_indexedSlots, state.State.Slots) || !ReferenceEquals(_indexedSurge, state.State.Surge))
        {
            _indexedSlots = state.State.Slots;
            _indexedSurge = state.State.Surge;
            _slotHolders = Holders(state.State.Slots, state.State.Surge);
        }
        return _slotHolders.Contains(taskId);
    }

    /// <summary>The tasks holding a slot, or started beside one, that have not ended, as last known.</summary>
    private IEnumerable<TaskInfo> LiveTasks() =>
        state.State.Slots.Values.Concat(state.State.Surge.Values)
            .Select(id => _tasks.GetValueOrDefault(id)).OfType<TaskInfo>().Where(t => !TaskTransitions.IsTerminal(t.State));

    /// <summary>Every task a slot holds: the slot's own and the new ones started beside them.</summary>
    private static HashSet<string> Holders(ImmutableSortedDictionary<int, string> slots, ImmutableSortedDictionary<int, string> surge) =>
        slots.Values.Concat(surge.Values).ToHashSet(StringComparer.Ordinal);

    private async Task ReconcileCoreAsync(bool refillEnded, bool changed = false)
    {
        var spec = state.State.Spec!;
        await LoadTasksAsync();
        var now = DateTimeOffset.UtcNow;
        var slots = state.State.Slots.ToDictionary(s => s.Key, s => (s.Value, _tasks.GetValueOrDefault(s.Value)));
        var plan = JobReconciler.Compute(spec, state.State.Status, slots, refillEnded, state.State.Surge.Keys.ToHashSet());
        var reschedules = BatchRules.Reschedules(spec, state.State.Status, slots, state.State.Attempts, plan.Place.Concat(state.State.Surge.Keys).ToHashSet());
        var rollout = RolloutPlanner.Compute(await RolloutInputAsync(spec, now));
        _progress = rollout.Progress;
        _quietUntil = rollout.QuietUntil;
        var version = LatestVersion;

        var slotMap = state.State.Slots;
        var surgeMap = state.State.Surge;
        var stops = plan.Stop.Select(s => (s.TaskId, s.Reason))
            .Concat(rollout.Promote.Where(slotMap.ContainsKey).Select(slot => (slotMap[slot], $"replaced by {surgeMap[slot]} of version {version}")))
            .Concat(rollout.Replace.Select(slot => (slotMap[slot], $"replaced in place by version {version}: it was not Running and Healthy")))
            .Concat(rollout.StopSurge.Select(s => (surgeMap[s.Slot], s.Reason)))
            .ToList();
        await StopTasksAsync(stops);

        var history = state.State.History;
        string Created(int slot)
        {
            var id = TaskIds.New(Name, slot);
            history = history.Insert(0, id);
            return id;
        }
        foreach (var stop in plan.Stop.Where(s => s.FreesSlot))
        {
            slotMap = slotMap.Remove(stop.Slot);
        }
        foreach (var slot in plan.Place.Concat(rollout.Replace))
        {
            slotMap = slotMap.SetItem(slot, Created(slot));
        }
        // A resubmission gives a failed batch replica its reschedules afresh; a slot that is gone needs none.
        var attempts = state.State.Attempts.RemoveRange(plan.Stop.Where(s => s.FreesSlot).Select(s => s.Slot).Concat(refillEnded ? plan.Place : []));
        foreach (var reschedule in reschedules)
        {
            var id = Created(reschedule.Slot);
            slotMap = slotMap.SetItem(reschedule.Slot, id);
            attempts = attempts.SetItem(reschedule.Slot, reschedule.Attempts with { TaskId = id });
            LogRescheduled(Name, reschedule.Slot, id, reschedule.Attempts.Why!);
        }
        foreach (var slot in rollout.Promote)
        {
            slotMap = slotMap.SetItem(slot, surgeMap[slot]);
            surgeMap = surgeMap.Remove(slot);
        }
        surgeMap = surgeMap.RemoveRange(rollout.StopSurge.Select(s => s.Slot));
        foreach (var slot in rollout.StartSurge)
        {
            surgeMap = surgeMap.SetItem(slot, Created(slot));
        }
        var versions = Conclude(rollout, spec, now, out var desired);
        if (changed || !plan.IsEmpty || reschedules.Count > 0 || rollout.ChangesSlots || rollout.Outcome != RolloutOutcome.None)
        {
            // Slots are written before their tasks start, so a crash in between leaves ids that are started on the next pass.
            // An empty plan changes nothing: the periodic reconcile of a converged job must not rewrite its row every minute.
            var holders = Holders(slotMap, surgeMap);
            var released = state.State.Released.SetItems(Holders(state.State.Slots, state.State.Surge)
                .Where(id => !holders.Contains(id))
                .Select(id => KeyValuePair.Create(id, now)));
            var overflow = history.Count - MaxHistory;
            if (overflow > 0)
            {
                var gone = await ForgetTasksAsync(history.Reverse().Where(released.ContainsKey).Take(overflow).ToList());
                history = history.RemoveAll(gone.Contains);
                released = released.RemoveRange(gone);
            }
            state.State = state.State with { Spec = desired, Slots = slotMap, Surge = surgeMap, History = history, Released = released, Versions = versions, Attempts = attempts, UpdatedAt = now };
            await state.WriteStateAsync();
        }
        KeepRolling();

        var active = state.State.Status == JobStatus.Active;
        var toStart = slotMap.Where(s => s.Key < desired.Replicas && active && !_tasks.ContainsKey(s.Value))
            .Concat(surgeMap.Where(s => s.Key < desired.Replicas && active && !_tasks.ContainsKey(s.Value)))
            .ToList();
        if (toStart.Count == 0)
        {
            return;
        }
        // One plan for all new replicas, counting each against the next, so they spread (or pack) as a whole
        // even though each task then places itself, possibly from several silos at once.
        // A single replica needs no plan: its own ranking is the plan.
        var planned = toStart.Count == 1 ? null : await GrainFactory.GetGrain<ISchedulerGrain>(0).PlanAsync(desired with { Replicas = toStart.Count });
        var placements = planned?.Placements.ToDictionary(
            p => p.Replica,
            p => p with { Explanation = p.Explanation.Condensed(TaskGrain.KeptPlacementDetails) }) ?? [];
        var started = await Task.WhenAll(toStart.Select((s, i) => GrainFactory.GetGrain<ITaskGrain>(s.Value)
            .StartAsync(Assignment(s.Key, s.Value, desired, placements.GetValueOrDefault(i)))));
        foreach (var task in started)
        {
            _tasks[task.Id] = task;
        }
    }

    /// <summary>What a new task of a slot is given; a batch slot's task is never placed where the slot failed before.</summary>
    private TaskAssignment Assignment(int slot, string taskId, JobSpec spec, PlannedPlacement? planned) =>
        state.State.Attempts.GetValueOrDefault(slot) is { } attempts && state.State.Slots.GetValueOrDefault(slot) == taskId
            ? new TaskAssignment(Name, slot, spec, planned, LatestVersion) { ExcludedNodes = attempts.FailedNodes, Why = attempts.TaskId == taskId ? attempts.Why : null }
            : new TaskAssignment(Name, slot, spec, planned, LatestVersion);

    /// <summary>The latest version's number: the one rolled out; 0 for a job submitted before versions were kept.</summary>
    private int LatestVersion => state.State.Versions.LastOrDefault()?.Number ?? 0;

    /// <summary>Stops these tasks; one that never started (its job knows nothing of it) has nothing to stop.</summary>
    private async Task StopTasksAsync(IReadOnlyList<(string TaskId, string Reason)> stops)
    {
        var stopped = await Task.WhenAll(stops
            .Where(s => _tasks.ContainsKey(s.TaskId))
            .Select(s => GrainFactory.GetGrain<ITaskGrain>(s.TaskId).StopAsync(s.Reason)));
        foreach (var task in stopped)
        {
            _tasks[task.Id] = task;
        }
    }

    /// <summary>
    /// The versions after this pass's outcome, and the spec the job wants now: a failed version with autoRevert is
    /// followed by a new version with the spec of the last healthy one, rolled out the same way.
    /// </summary>
    private ImmutableList<JobVersion> Conclude(RolloutPlan rollout, JobSpec spec, DateTimeOffset now, out JobSpec desired)
    {
        var versions = state.State.Versions;
        desired = spec;
        switch (rollout.Outcome)
        {
            case RolloutOutcome.Healthy:
                LogRolledOut(Name, LatestVersion);
                return JobVersions.MarkHealthy(versions, now);
            case RolloutOutcome.Failed:
                LogRolloutFailed(Name, LatestVersion, rollout.Reason!);
                return JobVersions.MarkFailed(versions, JobVersionStatus.Failed, rollout.Reason!);
            case RolloutOutcome.Revert:
                var target = JobVersions.LastHealthy(versions)!;
                LogReverted(Name, LatestVersion, target.Number, rollout.Reason!);
                desired = target.Spec with { Replicas = spec.Replicas };
                var failed = JobVersions.MarkFailed(versions, JobVersionStatus.Reverted, rollout.Reason!);
                return JobVersions.Submit(failed, desired, now, $"rollback to version {target.Number}: version {LatestVersion} failed");
            default:
                return versions;
        }
    }

    /// <summary>What the rollout planner decides from: each slot's tasks as last known, judged against the latest version.</summary>
    private async Task<RolloutInput> RolloutInputAsync(JobSpec spec, DateTimeOffset now)
    {
        var version = LatestVersion;
        var nodes = (await view.CurrentAsync(GrainFactory)).ToDictionary(n => n.Name, StringComparer.Ordinal);
        // Comparing specs serialises them: once per version, not once per task.
        var sameTasks = new Dictionary<int, bool> { [version] = true };
        bool Outdated(TaskInfo task)
        {
            if (task.Spec is not { } running)
            {
                return false;
            }
            if (task.Version == 0 || !sameTasks.TryGetValue(task.Version, out var same))
            {
                same = JobSpecComparer.SameTasks(running, spec);
                sameTasks[task.Version] = same;
            }
            return !same || (task.Node is { } node && nodes.TryGetValue(node, out var info)
                && (info.Status == NodeStatus.Draining || ConstraintFilter.Mismatch(spec.Constraints, info.Labels) is not null));
        }
        RolloutTask? Of(string? id)
        {
            if (id is null)
            {
                return null;
            }
            if (_tasks.GetValueOrDefault(id) is not { } task)
            {
                // Not started yet: it is, once this pass starts it.
                return new RolloutTask { Id = id, Version = version, CreatedAt = now };
            }
            var checkedHealth = task.Spec?.Health is not null;
            var ready = task.State == TaskState.Running
                && (!checkedHealth || task.Health is { Status: HealthStatus.Healthy } health && health.ContainerId == task.ContainerId);
            return new RolloutTask
            {
                Id = id,
                Version = task.Version,
                Outdated = Outdated(task),
                Ended = TaskTransitions.IsTerminal(task.State),
                Completed = task.State == TaskState.Completed,
                Displaced = task.Displaced,
                Ready = ready,
                ReadySince = !ready ? null : checkedHealth ? task.Health!.CheckedAt : task.Events.LastOrDefault(e => e.To == TaskState.Running)?.Time ?? task.CreatedAt,
                CreatedAt = task.CreatedAt,
                Reason = task.Health is { LastFailure: { } failure, Status: not HealthStatus.Healthy } ? $"{task.Reason}; health check: {failure}" : task.Reason,
            };
        }
        var slots = state.State.Slots.Keys.Union(state.State.Surge.Keys)
            .Select(slot => new RolloutSlot(slot, Of(state.State.Slots.GetValueOrDefault(slot)), Of(state.State.Surge.GetValueOrDefault(slot))))
            .ToList();
        return new RolloutInput
        {
            Slots = slots,
            // A scheduled job has no replicas of its own: its version is rolled out once stored.
            Replicas = state.State.Status == JobStatus.Stopped || spec.IsScheduled ? 0 : spec.Replicas,
            Version = version,
            Status = state.State.Versions.LastOrDefault()?.Status ?? JobVersionStatus.Current,
            Update = spec.Update,
            LastHealthy = JobVersions.LastHealthy(state.State.Versions)?.Number,
            Now = now,
            Batch = spec.IsBatch,
        };
    }

    /// <summary>While a version rolls out, the job looks at its tasks often; it stops looking once the rollout ended.</summary>
    private void KeepRolling()
    {
        var rolling = state.State.Status == JobStatus.Active
            && (state.State.Versions.LastOrDefault()?.Status == JobVersionStatus.Rolling || !state.State.Surge.IsEmpty);
        var interval = options.Value.RolloutCheckInterval;
        // Every task the rollout waits on is Ready and counts at a known time: asking them each second until then learns
        // nothing. The deferral is to a fixed moment, so reconciles in between cannot keep pushing the check away.
        TimeSpan? quiet = _quietUntil is { } until && until - DateTimeOffset.UtcNow + QuietMargin is var wait && wait > interval ? wait : null;
        if (!rolling)
        {
            _rolloutTimer?.Dispose();
            _rolloutTimer = null;
        }
        else if (_rolloutTimer is null)
        {
            _rolloutTimer = this.RegisterGrainTimer(
                static (grain, _) => grain.ReconcileAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = quiet ?? interval, Period = interval, KeepAlive = true });
            _rolloutDeferred = quiet is not null;
        }
        else if (quiet is { } deferred)
        {
            _rolloutTimer.Change(deferred, interval);
            _rolloutDeferred = true;
        }
        else if (_rolloutDeferred)
        {
            _rolloutTimer.Change(interval, interval);
            _rolloutDeferred = false;
        }
    }

    /// <summary>
    /// Forgets the tasks that gave up their slot a retention ago, then, for a stopped job with nothing left, the job.
    /// Reads only the job's own state, and writes nothing when nothing is due.
    /// </summary>
    private async Task PruneAsync(DateTimeOffset now)
    {
        var cutoff = now - options.Value.TaskRetention;
        var holders = Holders(state.State.Slots, state.State.Surge);
        var released = state.State.Released;
        // Tasks that left their slot before release times were kept: their retention starts now.
        var untimed = state.State.History.Where(id => !holders.Contains(id) && !released.ContainsKey(id)).ToList();
        released = released.SetItems(untimed.Select(id => KeyValuePair.Create(id, now)));
        var due = released.Where(r => r.Value <= cutoff && !holders.Contains(r.Key)).Select(r => r.Key).ToList();
        var gone = await ForgetTasksAsync(due);
        // A task that refused is still live although no slot holds it: it is timed again from now.
        released = released.RemoveRange(gone).SetItems(due.Except(gone).Select(id => KeyValuePair.Create(id, now)));
        if (untimed.Count > 0 || due.Count > 0)
        {
            state.State = state.State with { History = state.State.History.RemoveAll(gone.Contains), Released = released };
            await state.WriteStateAsync();
        }
        if (gone.Count > 0)
        {
            LogPruned(Name, gone.Count);
        }
        if (state.State is { Status: JobStatus.Stopped, Slots.IsEmpty: true, History.IsEmpty: true } && state.State.UpdatedAt <= cutoff)
        {
            await RemoveAsync();
        }
    }

    /// <summary>Forgets these ended tasks (deleting their state) and returns those that are gone.</summary>
    private async Task<IReadOnlySet<string>> ForgetTasksAsync(IReadOnlyCollection<string> ids)
    {
        var results = await Task.WhenAll(ids.Select(async id => (Id: id, Gone: await GrainFactory.GetGrain<ITaskGrain>(id).ForgetAsync())));
        return results.Where(r => r.Gone).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Deletes the job's state, then its directory entry and reminder, so its name is free again.</summary>
    private async Task RemoveAsync()
    {
        var scheduled = state.State.Spec?.IsScheduled == true;
        await state.ClearStateAsync();
        // Forgets the deleted row's version, so a submission this activation still serves inserts a new row.
        await state.ReadStateAsync();
        LogRemoved(Name, options.Value.TaskRetention);
        if (scheduled)
        {
            WakeSchedule();
        }
        await UnregisterAsync();
    }

    /// <summary>
    /// Tells the job's clock to look at the job again. A hint: the clock is woken again by every reminder tick of a
    /// scheduled job, so a lost wake only delays it.
    /// </summary>
    private void WakeSchedule() => GrainFactory.GetJobSchedule(Name).WakeAsync().Ignore();

    private async Task UnregisterAsync()
    {
        _reminderRetry?.Dispose();
        _reminderRetry = null;
        await GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).RemoveAsync(Name);
        if (await this.GetReminder(ReconcileReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _tasks.Clear();
        _loaded = false;
        DeactivateOnIdle();
    }

    private async Task LoadTasksAsync()
    {
        if (_loaded)
        {
            return;
        }
        var infos = await Task.WhenAll(state.State.Slots.Values.Concat(state.State.Surge.Values).Select(id => GrainFactory.GetGrain<ITaskGrain>(id).GetAsync()));
        _tasks.Clear();
        foreach (var info in infos.OfType<TaskInfo>())
        {
            _tasks[info.Id] = info;
        }
        _loaded = true;
    }

    private JobInfo Describe(IReadOnlyDictionary<string, TaskInfo>? tasks = null) => new()
    {
        Name = Name,
        Spec = state.State.Spec!,
        Status = state.State.Status,
        TaskIds = state.State.History.ToArray(),
        LiveTaskIds = state.State.Slots.Concat(state.State.Surge)
            .Where(s => s.Key < state.State.Spec!.Replicas && state.State.Status == JobStatus.Active).Select(s => s.Value).ToArray(),
        UpdatedAt = state.State.UpdatedAt,
        Version = LatestVersion,
        Versions = state.State.Versions,
        Rollout = _progress,
        Batch = state.State.Spec! is { IsBatch: true, IsScheduled: false }
            ? BatchRules.Outcome(state.State.Spec, state.State.Slots.ToDictionary(s => s.Key, s => (s.Value, (tasks ?? _tasks).GetValueOrDefault(s.Value))), state.State.Attempts)
            : null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} submitted: {Image} x{Replicas}, version {Version}")]
    private partial void LogSubmitted(string job, string image, int replicas, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: rolling back to version {Target}'s spec as version {Version}")]
    private partial void LogRolledBack(string job, int target, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: version {Version} rolled out, every replica healthy")]
    private partial void LogRolledOut(string job, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the rollout of version {Version} failed and stops where it is: {Reason}")]
    private partial void LogRolloutFailed(string job, int version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the rollout of version {Version} failed; rolling back to version {Target}: {Reason}")]
    private partial void LogReverted(string job, int version, int target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: replica {Slot} is tried again as task {TaskId}: {Why}")]
    private partial void LogRescheduled(string job, int slot, string taskId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} stopped ({Replicas} replicas)")]
    private partial void LogStopped(string job, int replicas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} replaces {Count} tasks lost with node {Node}")]
    private partial void LogNodeLost(string job, int count, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not register its periodic reconcile yet; trying again in {Seconds} s")]
    private partial void LogReminderDeferred(Exception exception, string job, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} scaled from {From} to {To}")]
    private partial void LogScaled(string job, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} forgot {Count} ended tasks past their retention")]
    private partial void LogPruned(string job, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} removed: stopped, and every task ended, more than {Retention} ago")]
    private partial void LogRemoved(string job, TimeSpan retention);
}
