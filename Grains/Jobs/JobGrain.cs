using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Jobs.Batch;
using Orchestrator.Grains.Jobs.Rollout;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Scheduling;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// A job, keyed by its name: holds the desired spec and its versions, and after every change reconciles its slots with
/// it, one pass at a time (<see cref="PassPlanner"/> decides, the grain applies), creating tasks for empty slots and
/// stopping surplus ones, and rolls outdated replicas over to the latest version (<see cref="RolloutMonitor"/>),
/// re-reading its tasks every <see cref="JobOptions.RolloutCheckInterval"/> while a rollout is under way.
/// Its reminder also prunes (<see cref="JobPruner"/>): tasks that gave up their slot longer than
/// <see cref="JobOptions.TaskRetention"/> ago are forgotten, and so is a stopped job once all of its tasks are.
/// Node loss is a level, not an event: every reconcile, and a cheap check every <see cref="NodeOptions.NodeLossCheckInterval"/>,
/// ends the tasks whose node <see cref="NodeLiveness"/> finds lost and fills their slots again (<see cref="LostNodeTasks"/>),
/// whether or not the node directory's notice (<see cref="NodeLostAsync"/>) arrived.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState(StorageNames.JobState, StorageNames.Orchestrator)] IPersistentState<JobState> state,
    ClusterView view,
    NodeLiveness liveness,
    IOptions<JobOptions> options,
    IOptions<NodeOptions> nodeOptions,
    SecretVault vault,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IStateInspectableGrain<JobState>, IRemindable
{
    private SlotTasks Tasks => field ??= new(state, GrainFactory);
    private LostNodeTasks LostTasks => field ??= new(Tasks, liveness, GrainFactory, logger, Name);
    private RolloutMonitor Rollouts => field ??= new(this, RereadAndReconcileAsync, options.Value.RolloutCheckInterval, logger, Name);
    private ReconcileReminder Reminder => field ??= new(this, options.Value.ReconcileInterval, logger, Name);
    private JobPruner Pruner => field ??= new(this, state, GrainFactory, Tasks, Reminder, options.Value.TaskRetention, logger, Name);

    private string Name => GrainKeys.JobName(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // In memory only, and not keeping the job active: it reads no task grain and no storage, only the cached
        // task infos and this silo's membership snapshot, so it is cheap enough for every job every few seconds.
        this.RegisterGrainTimer(
            static (grain, _) => grain.CheckNodesAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = nodeOptions.Value.NodeLossCheckInterval, Period = nodeOptions.Value.NodeLossCheckInterval });
        // A rollout under way when the job's last activation ended (its silo died) carries on from what was stored.
        Rollouts.Keep(state.State);
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
        if (spec.IsBatch && !Tasks.IsLoaded)
        {
            // A batch job's outcome is its tasks' states. This call interleaves with the job's own work, so it reads
            // them for itself rather than filling the job's cache.
            var infos = await Task.WhenAll(state.State.Slots.Values.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).GetAsync()));
            return Describe(infos.OfType<TaskInfo>().ToDictionary(t => t.Id, StringComparer.Ordinal));
        }
        return Describe();
    }

    // Like GetAsync, this interleaves with the job's own work: it reads what the job knows and fills nothing.
    public Task<IReadOnlyList<TaskSummary>> ListTasksAsync(TaskQuery query) => Tasks.ListAsync(query);

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
        JobSpecValidator.EnsureValid(spec, nodeOptions.Value.ExecutionPolicy, largest);
        await SecretReferences.EnsureExistAsync(GrainFactory, spec, vault);

        var scheduled = state.State.Spec?.IsScheduled == true;
        await Task.WhenAll(GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).AddAsync(Name), Reminder.ArmAsync());
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
        await Reminder.ArmAsync();
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
        JobSpecValidator.EnsureValid(scaled, nodeOptions.Value.ExecutionPolicy);
        await ChangeAsync(() =>
        {
            var now = DateTimeOffset.UtcNow;
            var versions = state.State.Versions.IsEmpty ? state.State.Versions : JobVersions.Submit(state.State.Versions, scaled, now);
            state.State = state.State with { Spec = scaled, Status = JobStatus.Active, UpdatedAt = now, Versions = versions };
            return state.WriteStateAsync();
        });
        await Reminder.ArmAsync();
        LogScaled(Name, spec.Replicas, replicas);
        await ReconcileCoreAsync(refillEnded: false);
        return Describe();
    }

    public async Task<JobInfo> RollbackAsync(int? version)
    {
        var spec = state.State.Spec ?? throw new KeyNotFoundException($"no job {Name}");
        var versions = state.State.Versions;
        var target = JobVersions.RollbackTarget(versions, version);
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
        await Reminder.ArmAsync();
        return Describe();
    }

    // An explicit reconcile re-reads every task rather than trusting the notifications received.
    public Task ReconcileAsync() => RereadAndReconcileAsync(null);

    /// <summary>Reconciles after reading these tasks again, or every task for null.</summary>
    private async Task RereadAndReconcileAsync(IReadOnlyCollection<string>? tasks)
    {
        if (state.State.Spec is null)
        {
            return;
        }
        await Tasks.RereadAsync(tasks);
        if (state.State.Status == JobStatus.Active)
        {
            await LostTasks.EndOnLostNodesAsync();
        }
        await ReconcileCoreAsync(refillEnded: false);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null)
        {
            // Removed, but the removal did not get as far as the reminder: finish it.
            await Pruner.UnregisterAsync();
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
        await Pruner.PruneAsync(DateTimeOffset.UtcNow);
    }

    public async Task NodeLostAsync(string node, string reason)
    {
        if (state.State.Spec is null)
        {
            return;
        }
        await Tasks.LoadAsync();
        if (await LostTasks.EndOnNodeAsync(node, reason))
        {
            await ReconcileCoreAsync(refillEnded: false);
        }
    }

    public async Task TaskChangedAsync(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!Tasks.HoldsSlot(task.Id))
        {
            return;
        }
        Tasks.Record(task);
        if (state.State.Spec is { } spec && TaskTransitions.IsTerminal(task.State) && (task.Displaced || (spec.IsBatch && task.State == TaskState.Failed)))
        {
            await ReconcileCoreAsync(refillEnded: false);
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
            Tasks.Invalidate();
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
        if (!Tasks.IsLoaded)
        {
            await ReconcileAsync();
            return;
        }
        if (await LostTasks.EndOnLostNodesAsync())
        {
            await ReconcileCoreAsync(refillEnded: false);
        }
    }

    private async Task ReconcileCoreAsync(bool refillEnded, bool changed = false)
    {
        await Tasks.LoadAsync();
        var now = DateTimeOffset.UtcNow;
        var nodes = await view.CurrentAsync(GrainFactory);
        var rollout = Rollouts.Plan(state.State, Tasks.Known, nodes, now);
        if (rollout.Outcome is RolloutOutcome.Failed or RolloutOutcome.Revert)
        {
            // Tasks tell their job of their moves, not of each reason they wait (a node refused, no node fits): a rollout
            // fails on what every task says now, with its latest reason, and not on a notice that was lost.
            await Tasks.RereadAsync(null);
            rollout = Rollouts.Plan(state.State, Tasks.Known, nodes, now);
        }
        var pass = PassPlanner.Compute(Name, state.State, Tasks.Known, rollout, refillEnded, now, slot => TaskIds.New(Name, slot));
        await Tasks.StopAsync(pass.Stops);
        foreach (var reschedule in pass.Rescheduled)
        {
            LogRescheduled(Name, reschedule.Slot, reschedule.Attempts.TaskId!, reschedule.Attempts.Why!);
        }
        Rollouts.Report(rollout, state.State.Versions);
        if (changed || pass.Changes)
        {
            // Slots are written before their tasks start, so a crash in between leaves ids that are started on the next pass.
            // An empty plan changes nothing: the periodic reconcile of a converged job must not rewrite its row every minute.
            state.State = JobHistory.Without(pass.After, await Pruner.ForgetAsync(pass.Forget));
            await state.WriteStateAsync();
        }
        Rollouts.Keep(state.State);
        await Tasks.StartAsync(pass.After.Spec!, pass.Start);
    }

    /// <summary>
    /// Tells the job's clock to look at the job again. A hint: the clock is woken again by every reminder tick of a
    /// scheduled job, so a lost wake only delays it.
    /// </summary>
    private void WakeSchedule() => GrainFactory.GetJobSchedule(Name).WakeAsync().Ignore();

    private JobInfo Describe(IReadOnlyDictionary<string, TaskInfo>? tasks = null) => new()
    {
        Name = Name,
        Spec = state.State.Spec!,
        Status = state.State.Status,
        TaskIds = state.State.History.ToArray(),
        LiveTaskIds = state.State.Slots.Concat(state.State.Surge)
            .Where(s => s.Key < state.State.Spec!.Replicas && state.State.Status == JobStatus.Active).Select(s => s.Value).ToArray(),
        UpdatedAt = state.State.UpdatedAt,
        Version = JobVersions.Latest(state.State.Versions),
        Versions = state.State.Versions,
        Rollout = Rollouts.Progress,
        Batch = state.State.Spec! is { IsBatch: true, IsScheduled: false }
            ? BatchRules.Outcome(state.State.Spec, state.State.Slots.ToDictionary(s => s.Key, s => (s.Value, (tasks ?? Tasks.Known).GetValueOrDefault(s.Value))), state.State.Attempts)
            : null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} submitted: {Image} x{Replicas}, version {Version}")]
    private partial void LogSubmitted(string job, string image, int replicas, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: rolling back to version {Target}'s spec as version {Version}")]
    private partial void LogRolledBack(string job, int target, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: replica {Slot} is tried again as task {TaskId}: {Why}")]
    private partial void LogRescheduled(string job, int slot, string taskId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} stopped ({Replicas} replicas)")]
    private partial void LogStopped(string job, int replicas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} scaled from {From} to {To}")]
    private partial void LogScaled(string job, int from, int to);
}
