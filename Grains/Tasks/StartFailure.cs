namespace Orchestrator.Grains.Tasks;

/// <summary>What a failed start of a task's container means, as <see cref="StartFailureRules.Decide"/> reads it.</summary>
public enum StartFailure
{
    /// <summary>The engine refused the container (and the node removed what it made), or the node refused the spec before making anything: the task's own failure, for its restart policy.</summary>
    Refused,
    /// <summary>The machine failed, not the task, and nothing runs of this start: it costs no restart, and the task moves to another node.</summary>
    NodeFailed,
    /// <summary>The answer was lost: the container may exist, and must be removed or found running before the task may run anywhere else.</summary>
    AnswerLost,
}
