using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// What a job remembers of its tasks, as pure functions: every task, newest first (<see cref="JobState.History"/>);
/// a task that gave up its slot is timed from then (<see cref="JobState.Released"/>) and forgotten a retention later,
/// or sooner once more than <see cref="MaxTasks"/> are remembered; a stopped job with nothing left is removed a
/// retention after its stop. Decided from the job's state alone, without asking each task.
/// </summary>
public static class JobHistory
{
    /// <summary>Tasks remembered per job; beyond it the oldest ended ones are forgotten before their retention ends.</summary>
    public const int MaxTasks = 1000;

    /// <summary>The release times after a pass moved the slots from <paramref name="before"/> to <paramref name="after"/>: a task that left them left now.</summary>
    public static ImmutableDictionary<string, DateTimeOffset> Release(JobState before, JobState after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var holders = after.Holders();
        return before.Released.SetItems(before.Holders().Where(id => !holders.Contains(id)).Select(id => KeyValuePair.Create(id, now)));
    }

    /// <summary>The tasks to forget now so that at most <see cref="MaxTasks"/> are remembered: the oldest of those that hold no slot.</summary>
    public static IReadOnlyList<string> Overflow(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var overflow = state.History.Count - MaxTasks;
        return overflow > 0 ? state.History.Reverse().Where(state.Released.ContainsKey).Take(overflow).ToList() : [];
    }

    /// <summary>
    /// What a prune forgets: the tasks that gave up their slot a retention ago. A task that left its slot before release
    /// times were kept is timed from now.
    /// </summary>
    public static PrunePlan Prune(JobState state, DateTimeOffset now, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(state);
        var holders = state.Holders();
        var untimed = state.History.Where(id => !holders.Contains(id) && !state.Released.ContainsKey(id)).ToList();
        var released = state.Released.SetItems(untimed.Select(id => KeyValuePair.Create(id, now)));
        var due = released.Where(r => r.Value <= now - retention && !holders.Contains(r.Key)).Select(r => r.Key).ToList();
        return new PrunePlan(released, due, Changes: untimed.Count > 0 || due.Count > 0);
    }

    /// <summary>The state after a prune: the tasks that are <paramref name="gone"/> forgotten; one due that refused is still live although no slot holds it, and is timed again from now.</summary>
    public static JobState Pruned(JobState state, PrunePlan prune, IReadOnlySet<string> gone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(prune);
        ArgumentNullException.ThrowIfNull(gone);
        return Without(state with { Released = prune.Released.SetItems(prune.Due.Except(gone).Select(id => KeyValuePair.Create(id, now))) }, gone);
    }

    /// <summary>The state without these tasks, which were forgotten.</summary>
    public static JobState Without(JobState state, IReadOnlySet<string> gone)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(gone);
        return state with { History = state.History.RemoveAll(gone.Contains), Released = state.Released.RemoveRange(gone) };
    }

    /// <summary>A stopped job whose tasks are all forgotten is removed once a retention has passed since its last change.</summary>
    public static bool Removable(JobState state, DateTimeOffset now, TimeSpan retention) =>
        state is { Status: JobStatus.Stopped, Slots.IsEmpty: true, History.IsEmpty: true } && state.UpdatedAt <= now - retention;
}
