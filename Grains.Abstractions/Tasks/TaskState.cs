namespace Orchestrator.Abstractions.Tasks;

/// <summary>The life of a task (CONTRACT §2); <see cref="TaskTransitions"/> says which moves are allowed.</summary>
public enum TaskState
{
    Pending,
    Scheduled,
    Running,
    Completed,
    Failed,
}
