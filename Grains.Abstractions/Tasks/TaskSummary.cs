namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// One task as lists show it (<c>orch ps</c>, <c>orch events</c>, <c>orch inspect JOB</c>, the API's task lists and the
/// orchestrator view): what <see cref="Jobs.IJobGrain.ListTasksAsync"/> answers, without the spec and placement
/// a <see cref="TaskInfo"/> carries.
/// </summary>
[GenerateSerializer, Immutable, Alias("task-summary")]
public sealed record TaskSummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Job { get; init; }
    [Id(2)] public int Slot { get; init; }
    [Id(3)] public TaskState State { get; init; }
    [Id(4)] public string? Node { get; init; }
    [Id(5)] public string? ContainerId { get; init; }
    [Id(6)] public int Restarts { get; init; }
    [Id(7)] public IReadOnlyList<PortBinding> Ports { get; init; } = [];
    /// <summary>The latest transition's reason.</summary>
    [Id(8)] public string? Reason { get; init; }
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public int Version { get; init; }
    /// <summary>The health checks' verdict on the current container; null when the job has no health check or none ran yet.</summary>
    [Id(11)] public HealthStatus? Health { get; init; }
    /// <summary>The task's transitions, oldest first, when the query asked for them (<see cref="TaskQuery.Events"/>); else empty.</summary>
    [Id(12)] public IReadOnlyList<TaskEvent> Events { get; init; } = [];

    /// <summary>The task's summary, without its events.</summary>
    public static TaskSummary Of(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskSummary
        {
            Id = task.Id,
            Job = task.Job,
            Slot = task.Slot,
            State = task.State,
            Node = task.Node,
            ContainerId = task.ContainerId,
            Restarts = task.Restarts,
            Ports = task.Ports,
            Reason = task.Reason,
            CreatedAt = task.CreatedAt,
            Version = task.Version,
            Health = task.Health?.Status,
        };
    }

    /// <summary>Newest first, as <c>orch ps</c> lists tasks; tasks created at the same instant by id.</summary>
    public static IReadOnlyList<TaskSummary> NewestFirst(IEnumerable<TaskSummary> tasks) =>
        [.. tasks.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];
}
