using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Tasks;

/// <summary>A task's persisted state: what clients see, plus the bookkeeping of its restarts.</summary>
[GenerateSerializer, Immutable, Alias("task-record")]
public sealed record TaskRecord
{
    /// <summary>Null until the task is started by its job.</summary>
    [Id(0)] public TaskInfo? Info { get; init; }
    /// <summary>Consecutive quick failures: the exponent of the next restart's delay.</summary>
    [Id(1)] public int BackoffStep { get; init; }
    /// <summary>When the current container started running (for the backoff reset).</summary>
    [Id(2)] public DateTimeOffset? RunningSince { get; init; }
    /// <summary>When a scheduled restart is due; a re-activated task honours it.</summary>
    [Id(3)] public DateTimeOffset? RestartDueAt { get; init; }
    /// <summary>The newest node generation the task acted on (a start's answer or a report); older reports are stale.</summary>
    [Id(5)] public long ObservedGeneration { get; init; }
    /// <summary>
    /// Why the last start's outcome is unknown (its answer timed out or was lost), while it is: the container it
    /// may have made must be removed, or found running, before the slot may move to another node.
    /// </summary>
    [Id(6)] public string? AbandonedStart { get; init; }
    /// <summary>Consecutive failed pulls of the task's image: the exponent of the next pull's delay (<see cref="ImagePullRules"/>).</summary>
    [Id(7)] public int PullFailures { get; init; }
}
