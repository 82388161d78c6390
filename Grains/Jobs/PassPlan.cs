using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs.Batch;

namespace Orchestrator.Grains.Jobs;

/// <summary>What one reconcile pass of a job does (<see cref="PassPlanner"/>); the job grain applies it in this order.</summary>
public sealed record PassPlan
{
    /// <summary>Tasks to stop first: surplus slots', replaced ones', and new tasks the rollout gives up on.</summary>
    public required IReadOnlyList<TaskStop> Stops { get; init; }
    /// <summary>Batch replica slots tried again, each with its new task (<see cref="SlotAttempts.TaskId"/>) and why.</summary>
    public required IReadOnlyList<SlotReschedule> Rescheduled { get; init; }
    /// <summary>The job's state after the pass: written before any new task starts, and only when the pass <see cref="Changes"/> it.</summary>
    public required JobState After { get; init; }
    /// <summary>Whether the pass changes the job's state: a converged job's periodic pass must not rewrite it.</summary>
    public bool Changes { get; init; }
    /// <summary>Ended tasks to forget before the write, so that the job remembers at most <see cref="JobHistory.MaxTasks"/>.</summary>
    public required IReadOnlyList<string> Forget { get; init; }
    /// <summary>Tasks to start, once the state is written: those of the slots and surge that the job knows nothing of yet.</summary>
    public required IReadOnlyList<(string TaskId, TaskAssignment Assignment)> Start { get; init; }
}
