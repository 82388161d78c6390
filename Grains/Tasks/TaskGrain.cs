using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// One placement of one replica slot: it asks the scheduler for a ranking, reserves on the best node
/// that still accepts, has the node run its container, and follows the container's life through the
/// transition table until Completed or Failed. Every transition is persisted with its event.
/// </summary>
/// <remarks>
/// The grain answers the calls; its parts do the work, on its scheduler: <see cref="TaskPlacement"/> places it,
/// <see cref="TaskContainer"/> has the node run its container and acts on the node's reports, <see cref="TaskRestarts"/>
/// starts the container again, <see cref="TaskJournal"/> records every move and tells the job, and its timers
/// (<see cref="TaskTimers"/>) are how it acts on its own.
/// </remarks>
public sealed partial class TaskGrain(
    [PersistentState(StorageNames.TaskState, StorageNames.Orchestrator)] IPersistentState<TaskRecord> state,
    IOptions<TaskOptions> options,
    NodeLiveness liveness,
    OrchestratorMetrics metrics,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, IStateInspectableGrain<TaskRecord>
{
    /// <summary>Candidates and rejections a task keeps of its placement explanation; the summary keeps the totals.</summary>
    internal const int KeptPlacementDetails = 5;

    private TaskJournal? _journal;
    private TaskTimers? _timers;
    private TaskContainer? _container;
    private TaskPlacement? _placement;

    // The parts of a task, made at first use: they need the grain itself (its timers, its grain factory).
    private TaskJournal Journal => _journal ??= new TaskJournal(state, GrainFactory, Timers, metrics, logger);

    private TaskTimers Timers => _timers ??= new TaskTimers(
        this, PlaceAsync, () => Container.RestartAsync(), () => Container.CheckAsync(), options.Value.PlacementRetry, options.Value.RunningCheckInterval);

    private TaskContainer Container => _container ??= new TaskContainer(Journal, Timers, new TaskRestarts(Journal, Timers, metrics), GrainFactory, liveness, logger);

    private TaskPlacement Placement => _placement ??= new TaskPlacement(Journal, Timers, Container, GrainFactory, metrics, logger);

    private TaskInfo? Info => Journal.Info;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Info is { State: TaskState.Pending })
        {
            Timers.RetryPlacement();
        }
        if (Info is { State: TaskState.Scheduled or TaskState.Running })
        {
            // Whatever was said while this task was not active, its node knows the truth: ask it. A restart that was
            // due is scheduled only after that answer: what is stored may be older than what ran (the silo died before
            // the write of Running), and a restart would replace a container that runs.
            Timers.CheckScheduled(TimeSpan.FromSeconds(1));
        }
        return Task.CompletedTask;
    }

    // For the dashboard's grain-state view, which anyone allowed to read may open: env values stay hidden there.
    public Task<TaskRecord> GetStateAsync() => Task.FromResult(Journal.Record.Info is { } info ? Journal.Record with { Info = EnvRedaction.Redact(info) } : Journal.Record);

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
        Journal.Record = new TaskRecord { Info = info };
        Placement.Begin(assignment.Planned, Activity.Current?.Context ?? default);
        return info;
    }

    public Task PlaceAsync() => Placement.PlaceAsync();

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
            await Container.RemoveAsync(node);
        }
        if (TaskTransitions.IsTerminal(info.State))
        {
            return info;
        }
        Timers.StopPlacementAndRestart();
        await Journal.TransitionAsync(TaskState.Completed, reason, i => i with { ContainerId = null }, r => r with { AbandonedStart = null, RestartDueAt = null });
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
        Timers.StopPlacementAndRestart();
        await Journal.ClearAsync();
        DeactivateOnIdle();
        return true;
    }

    public Task<ContainerVerdict> ObserveContainerAsync(string node, ContainerObservation observation) => Container.ObserveAsync(node, observation);

    public async Task ReportHealthAsync(string node, TaskHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        // Only about the container this task runs now; a verdict on a replaced one is history.
        if (Info is not { } info || info.Node != node || info.ContainerId != health.ContainerId || info.Health == health)
        {
            return;
        }
        Journal.Record = Journal.Record with { Info = info with { Health = health } };
        await Journal.WriteAsync();
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
        Timers.StopPlacementAndRestart();
        await Journal.TransitionAsync(TaskState.Failed, reason, i => i with { Displaced = true });
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
        Timers.StopPlacementAndRestart();
        if (info.Node is { } node)
        {
            await Container.RemoveAsync(node);
        }
        await Journal.TransitionAsync(TaskState.Completed, reason, i => i with { Displaced = true, ContainerId = null }, r => r with { AbandonedStart = null, RestartDueAt = null });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} health: {Status} {LastFailure}")]
    private partial void LogHealth(string taskId, HealthStatus status, string lastFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} is forgotten, but its node {Node} could not remove its container")]
    private partial void LogForgetUnreachable(Exception exception, string taskId, string node);
}
