using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>Everything known about one task, as <c>orch ps</c> and <c>orch inspect</c> show it.</summary>
[GenerateSerializer, Immutable, Alias("task-info")]
public sealed record TaskInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Job { get; init; }
    /// <summary>The replica slot (0 … replicas-1) this task fills.</summary>
    [Id(2)] public int Slot { get; init; }
    [Id(3)] public TaskState State { get; init; }
    [Id(4)] public string? Node { get; init; }
    [Id(5)] public string? ContainerId { get; init; }
    [Id(6)] public int Restarts { get; init; }
    [Id(7)] public IReadOnlyList<PortBinding> Ports { get; init; } = [];
    [Id(8)] public IReadOnlyList<TaskEvent> Events { get; init; } = [];
    [Id(9)] public PlacementExplanation? Placement { get; init; }
    [Id(10)] public int? LastExitCode { get; init; }
    [Id(11)] public DateTimeOffset CreatedAt { get; init; }
    [Id(12)] public JobSpec? Spec { get; init; }
    /// <summary>The latest transition's reason, for one-line displays.</summary>
    [Id(13)] public string? Reason { get; init; }
    /// <summary>The task ended because its node was lost or drained, not by its own doing: its job replaces it.</summary>
    [Id(14)] public bool Displaced { get; init; }
    /// <summary>The health checks' verdict on the current container; null when the job has no health check or none ran yet.</summary>
    [Id(15)] public TaskHealth? Health { get; init; }
    /// <summary>The job version whose spec the task runs; 0 for a task created before versions were kept.</summary>
    [Id(20)] public int Version { get; init; }
    /// <summary>
    /// Why the last pull of the task's image failed, while the task waits to pull again (it spends no restart);
    /// null once a pull succeeds or when none failed.
    /// </summary>
    [Id(21)] public string? PullFailure { get; init; }
    /// <summary>Nodes the task is never placed on: where its replica failed before (a batch job's reschedule).</summary>
    [Id(22)] public IReadOnlyList<string> ExcludedNodes { get; init; } = [];
}
