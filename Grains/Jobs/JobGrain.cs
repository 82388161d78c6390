using Orchestrator.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Inspection;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// A job, keyed by its name: holds the desired spec, and after every change reconciles its slots with
/// it (<see cref="JobReconciler"/>), creating tasks for empty slots and stopping surplus or outdated ones.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState(StorageNames.JobState, StorageNames.Orchestrator)] IPersistentState<JobState> state,
    IOptions<OrchestratorOptions> options,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IStateInspectableGrain<JobState>, IRemindable
{
    /// <summary>
    /// Reconciles every active job periodically even when nothing calls it. A reminder, unlike a timer,
    /// is stored in PostgreSQL and fires on a surviving silo after the job's silo dies.
    /// </summary>
    private const string ReconcileReminder = "reconcile";
    private static readonly TimeSpan ReconcilePeriod = TimeSpan.FromMinutes(1);

    /// <summary>Ended tasks remembered per job; older ones are forgotten (their grains keep their own state).</summary>
    internal const int MaxHistory = 1000;

    // The last known state of each task in a slot; refreshed from the tasks when the job activates.
    private readonly Dictionary<string, TaskInfo> _tasks = new(StringComparer.Ordinal);
    private bool _loaded;
    // The reconcile reminder could not be registered (the silo's reminder service still loading, the database
    // briefly away); the job's next task change tries again.
    private bool _reminderMissing;

    private string Name => GrainKeys.JobName(this.GetPrimaryKeyString());

    public Task<JobState> GetStateAsync() => Task.FromResult(state.State);

    public Task<JobInfo?> GetAsync() => Task.FromResult(state.State.Spec is null ? null : Describe());

    public async Task<JobInfo> SubmitAsync(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Name != Name)
        {
            throw new JobSpecException(new[] { new SpecError("name", $"must be the job's name '{Name}' (got '{spec.Name}')") });
        }
        var nodes = await GrainFactory.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
        var live = nodes.Where(n => n.Status != NodeStatus.Down).ToList();
        NodeCapacity? largest = live.Count == 0 ? null : new NodeCapacity(live.Max(n => n.Cpus), live.Max(n => n.MemoryMb));
        JobSpecValidator.EnsureValid(spec, options.Value.ExecutionPolicy, largest);

        state.State = state.State with { Spec = spec, Status = JobStatus.Active, UpdatedAt = DateTimeOffset.UtcNow };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).AddAsync(Name);
        await EnsureReminderAsync();
        LogSubmitted(Name, spec.Image, spec.Replicas);
        await ReconcileCoreAsync(refillEnded: true);
        return Describe();
    }

    public async Task<JobInfo> StopAsync()
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        state.State = state.State with { Status = JobStatus.Stopped, UpdatedAt = DateTimeOffset.UtcNow };
        await state.WriteStateAsync();
        LogStopped(Name, spec.Replicas);
        if (await this.GetReminder(ReconcileReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        await ReconcileCoreAsync(refillEnded: false);
        // Ended tasks keep their containers for their logs; stopping the job removes those too.
        await Task.WhenAll(state.State.History.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).StopAsync("job stopped")));
        return Describe();
    }

    public async Task<JobInfo> ScaleAsync(int replicas)
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        var scaled = spec with { Replicas = replicas };
        JobSpecValidator.EnsureValid(scaled, options.Value.ExecutionPolicy);
        state.State = state.State with { Spec = scaled, Status = JobStatus.Active, UpdatedAt = DateTimeOffset.UtcNow };
        await state.WriteStateAsync();
        await EnsureReminderAsync();
        LogScaled(Name, spec.Replicas, replicas);
        await ReconcileCoreAsync(refillEnded: false);
        return Describe();
    }

    public Task ReconcileAsync()
    {
        if (state.State.Spec is null)
        {
            return Task.CompletedTask;
        }
        // An explicit reconcile re-reads every task rather than trusting the notifications received.
        _loaded = false;
        return ReconcileCoreAsync(refillEnded: false);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        state.State.Status == JobStatus.Active ? ReconcileAsync() : Task.CompletedTask;

    public async Task NodeLostAsync(string node, string reason)
    {
        if (state.State.Spec is null)
        {
            return;
        }
        await LoadTasksAsync();
        var lost = _tasks.Values.Where(t => t.Node == node && !TaskTransitions.IsTerminal(t.State)).ToList();
        if (lost.Count == 0)
        {
            return;
        }
        await Task.WhenAll(lost.Select(t => GrainFactory.GetGrain<ITaskGrain>(t.Id).NodeLostAsync(node, reason)));
        LogNodeLost(Name, lost.Count, node);
        _loaded = false;
        await ReconcileCoreAsync(refillEnded: false);
    }

    public async Task TaskChangedAsync(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!state.State.Slots.ContainsValue(task.Id))
        {
            return;
        }
        _tasks[task.Id] = task;
        if (_reminderMissing && state.State.Status == JobStatus.Active)
        {
            await EnsureReminderAsync();
        }
        if (task.Displaced && TaskTransitions.IsTerminal(task.State) && state.State.Spec is not null)
        {
            await ReconcileCoreAsync(refillEnded: false);
        }
    }

    private async Task ReconcileCoreAsync(bool refillEnded)
    {
        var spec = state.State.Spec!;
        await LoadTasksAsync();
        var slots = state.State.Slots.ToDictionary(s => s.Key, s => (s.Value, _tasks.GetValueOrDefault(s.Value)));
        var plan = JobReconciler.Compute(spec, state.State.Status, slots, refillEnded);

        var stopped = await Task.WhenAll(plan.Stop.Select(s => GrainFactory.GetGrain<ITaskGrain>(s.TaskId).StopAsync(s.Reason)));
        foreach (var task in stopped)
        {
            _tasks[task.Id] = task;
        }

        var slotMap = state.State.Slots;
        var history = state.State.History;
        foreach (var stop in plan.Stop.Where(s => s.FreesSlot))
        {
            slotMap = slotMap.Remove(stop.Slot);
        }
        foreach (var slot in plan.Place)
        {
            var id = TaskIds.New(Name, slot);
            slotMap = slotMap.SetItem(slot, id);
            history = history.Insert(0, id);
        }
        if (history.Count > MaxHistory)
        {
            history = history.RemoveRange(MaxHistory, history.Count - MaxHistory);
        }
        if (!plan.IsEmpty)
        {
            // Slots are written before their tasks start, so a crash in between leaves ids that are started on the next pass.
            // An empty plan changes nothing: the periodic reconcile of a converged job must not rewrite its row every minute.
            state.State = state.State with { Slots = slotMap, History = history, UpdatedAt = DateTimeOffset.UtcNow };
            await state.WriteStateAsync();
        }

        var toStart = slotMap.Where(s => s.Key < spec.Replicas && state.State.Status == JobStatus.Active && !_tasks.ContainsKey(s.Value)).ToList();
        if (toStart.Count == 0)
        {
            return;
        }
        // One plan for all new replicas, counting each against the next, so they spread (or pack) as a whole
        // even though each task then places itself, possibly from several silos at once.
        var planned = await GrainFactory.GetGrain<ISchedulerGrain>(0).PlanAsync(spec with { Replicas = toStart.Count });
        var preferred = planned.Placements.ToDictionary(p => p.Replica, p => p.Node);
        var started = await Task.WhenAll(toStart.Select((s, i) => GrainFactory.GetGrain<ITaskGrain>(s.Value)
            .StartAsync(new TaskAssignment(Name, s.Key, spec, preferred.GetValueOrDefault(i)))));
        foreach (var task in started)
        {
            _tasks[task.Id] = task;
        }
    }

    /// <summary>
    /// Registers the reconcile reminder. It is the backstop of a job whose tasks converge by their own
    /// notifications, so failing to register it must not fail the submission or the scale that stored the spec.
    /// </summary>
    private async Task EnsureReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReconcileReminder, ReconcilePeriod, ReconcilePeriod);
            _reminderMissing = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _reminderMissing = true;
            LogReminderFailed(e, Name);
        }
    }

    private async Task LoadTasksAsync()
    {
        if (_loaded)
        {
            return;
        }
        var infos = await Task.WhenAll(state.State.Slots.Values.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).GetAsync()));
        _tasks.Clear();
        foreach (var info in infos.OfType<TaskInfo>())
        {
            _tasks[info.Id] = info;
        }
        _loaded = true;
    }

    private JobInfo Describe() => new()
    {
        Name = Name,
        Spec = state.State.Spec!,
        Status = state.State.Status,
        TaskIds = state.State.History.ToArray(),
        LiveTaskIds = state.State.Slots.Where(s => s.Key < state.State.Spec!.Replicas && state.State.Status == JobStatus.Active).Select(s => s.Value).ToArray(),
        UpdatedAt = state.State.UpdatedAt,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} submitted: {Image} x{Replicas}")]
    private partial void LogSubmitted(string job, string image, int replicas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} stopped ({Replicas} replicas)")]
    private partial void LogStopped(string job, int replicas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} replaces {Count} tasks lost with node {Node}")]
    private partial void LogNodeLost(string job, int count, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} could not register its reconcile reminder; its next task change tries again")]
    private partial void LogReminderFailed(Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} scaled from {From} to {To}")]
    private partial void LogScaled(string job, int from, int to);
}
