namespace Orchestrator.Abstractions.Tasks;

/// <summary>The life of a task (docs/CONTRACT.md, Task states); <see cref="TaskTransitions"/> says which moves are allowed.</summary>
public enum TaskState
{
    Pending,
    Scheduled,
    Running,
    Completed,
    Failed,
}
