using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

/// <summary>How a task takes its node's reports, as a table.</summary>
public sealed class ObservationRulesTests
{
    private const string Node = "node-1";

    private static TaskInfo Task(TaskState state, string? container = "c1", string? node = Node, bool displaced = false) => new()
    {
        Id = "web-0-abc",
        Job = "web",
        Slot = 0,
        Spec = new JobSpec { Name = "web", Image = "img" },
        State = state,
        Node = node,
        ContainerId = container,
        Displaced = displaced,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Reason = "",
        Events = [],
    };

    private static ContainerObservation Seen(string? container, ContainerStatus status, long generation = 10) => new(container, status, status == ContainerStatus.Exited ? 1 : null, "", generation);

    public static TheoryData<string, TaskInfo?, TaskRecord, ContainerObservation, ContainerVerdict, ObservationAction> Cases => new()
    {
        { "no such task: the node's copy goes", null, new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Remove, ObservationAction.None },
        { "the task lives on another node", Task(TaskState.Running, node: "node-2"), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Remove, ObservationAction.None },
        { "pending: no node yet", Task(TaskState.Pending, container: null, node: null), new TaskRecord(), Seen(null, ContainerStatus.Missing), ContainerVerdict.Remove, ObservationAction.None },
        { "ended: its own container is kept for logs", Task(TaskState.Completed), new TaskRecord(), Seen("c1", ContainerStatus.Exited), ContainerVerdict.Release, ObservationAction.None },
        { "ended: a running copy of its own container is stopped", Task(TaskState.Failed), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Release, ObservationAction.None },
        { "ended: another container goes", Task(TaskState.Completed, container: null), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Remove, ObservationAction.None },
        { "ended displaced: everything goes", Task(TaskState.Failed, displaced: true), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Remove, ObservationAction.None },
        { "ended: no reservation, nothing to do", Task(TaskState.Completed), new TaskRecord(), Seen(null, ContainerStatus.NotReserved), ContainerVerdict.Keep, ObservationAction.None },
        { "running, and it runs", Task(TaskState.Running), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Keep, ObservationAction.None },
        { "running: its container exited", Task(TaskState.Running), new TaskRecord(), Seen("c1", ContainerStatus.Exited), ContainerVerdict.Keep, ObservationAction.Ended },
        { "running: its container disappeared", Task(TaskState.Running), new TaskRecord(), Seen("c1", ContainerStatus.Missing), ContainerVerdict.Keep, ObservationAction.Ended },
        { "running: the node has no container at all", Task(TaskState.Running), new TaskRecord(), Seen(null, ContainerStatus.Missing), ContainerVerdict.Keep, ObservationAction.Ended },
        { "running: unhealthy", Task(TaskState.Running), new TaskRecord(), Seen("c1", ContainerStatus.Unhealthy), ContainerVerdict.Keep, ObservationAction.Ended },
        { "running: an earlier container's exit is history", Task(TaskState.Running, container: "c2"), new TaskRecord(), Seen("c1", ContainerStatus.Exited), ContainerVerdict.Keep, ObservationAction.None },
        { "running: another container of it runs", Task(TaskState.Running, container: "c2"), new TaskRecord(), Seen("c3", ContainerStatus.Running), ContainerVerdict.Keep, ObservationAction.Adopt },
        { "running: a report older than its start is stale", Task(TaskState.Running), new TaskRecord { ObservedGeneration = 11 }, Seen(null, ContainerStatus.Missing, generation: 10), ContainerVerdict.Keep, ObservationAction.None },
        { "running: the node lost the reservation", Task(TaskState.Running), new TaskRecord(), Seen(null, ContainerStatus.NotReserved), ContainerVerdict.Keep, ObservationAction.Lost },
        { "scheduled: the start's answer was lost but it runs", Task(TaskState.Scheduled, container: null), new TaskRecord(), Seen("c1", ContainerStatus.Running), ContainerVerdict.Keep, ObservationAction.Adopt },
        { "scheduled: it ran and exited unseen", Task(TaskState.Scheduled, container: null), new TaskRecord(), Seen("c1", ContainerStatus.Exited), ContainerVerdict.Keep, ObservationAction.Ended },
        { "scheduled: nothing runs and nothing is due", Task(TaskState.Scheduled, container: null), new TaskRecord(), Seen(null, ContainerStatus.Missing), ContainerVerdict.Keep, ObservationAction.Start },
        { "scheduled: a restart is due anyway", Task(TaskState.Scheduled), new TaskRecord { RestartDueAt = DateTimeOffset.UnixEpoch }, Seen("c1", ContainerStatus.Exited), ContainerVerdict.Keep, ObservationAction.None },
        { "scheduled: a restart was due, but it runs", Task(TaskState.Scheduled), new TaskRecord { RestartDueAt = DateTimeOffset.UnixEpoch }, Seen("c2", ContainerStatus.Running), ContainerVerdict.Keep, ObservationAction.Adopt },
        { "abandoned start: what exists goes first", Task(TaskState.Scheduled, container: null), new TaskRecord { AbandonedStart = "timed out" }, Seen("c1", ContainerStatus.Exited), ContainerVerdict.Remove, ObservationAction.None },
        { "scheduled: its image is being pulled", Task(TaskState.Scheduled, container: null), new TaskRecord(), Seen(null, ContainerStatus.Pulling), ContainerVerdict.Keep, ObservationAction.Pulling },
        { "scheduled: its image was pulled, start now", Task(TaskState.Scheduled, container: null), new TaskRecord(), Seen(null, ContainerStatus.Pulled), ContainerVerdict.Keep, ObservationAction.Pulled },
        { "scheduled: its image could not be pulled", Task(TaskState.Scheduled), new TaskRecord(), Seen(null, ContainerStatus.PullFailed), ContainerVerdict.Keep, ObservationAction.PullFailed },
        { "scheduled: the failed pull it waits out is told again", Task(TaskState.Scheduled), new TaskRecord { RestartDueAt = DateTimeOffset.UnixEpoch }, Seen(null, ContainerStatus.PullFailed), ContainerVerdict.Keep, ObservationAction.None },
        { "running: a pull report is no exit", Task(TaskState.Running), new TaskRecord(), Seen(null, ContainerStatus.PullFailed), ContainerVerdict.Keep, ObservationAction.None },
        { "abandoned start: a pull made nothing to remove", Task(TaskState.Scheduled, container: null), new TaskRecord { AbandonedStart = "timed out" }, Seen(null, ContainerStatus.Pulling), ContainerVerdict.Keep, ObservationAction.None },
        { "abandoned start: it runs after all", Task(TaskState.Scheduled, container: null), new TaskRecord { AbandonedStart = "timed out" }, Seen("c1", ContainerStatus.Running), ContainerVerdict.Keep, ObservationAction.Adopt },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string because, TaskInfo? task, TaskRecord record, ContainerObservation seen, ContainerVerdict verdict, ObservationAction action)
    {
        var decision = ObservationRules.Decide(task, record with { Info = task }, Node, seen);
        Assert.True(decision == new ObservationDecision(verdict, action), $"{because}: got {decision}");
    }
}
