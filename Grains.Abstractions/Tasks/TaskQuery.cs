namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// Which of a job's tasks <see cref="Jobs.IJobGrain.ListTasksAsync"/> lists, and with what: the live ones (holding a
/// replica slot, not ended) or the ended ones too, and each task's events or not.
/// </summary>
[GenerateSerializer, Immutable, Alias("task-query")]
public sealed record TaskQuery
{
    /// <summary>Ended tasks (Completed or Failed) too; without, no task that gave up its slot is read.</summary>
    [Id(0)] public bool Ended { get; init; }

    /// <summary>At most this many tasks: those holding a slot first, by slot, then the newest of the others. Bounds a view that polls.</summary>
    [Id(1)] public int Limit { get; init; } = int.MaxValue;

    /// <summary>Each task's events too, for <c>orch events</c>.</summary>
    [Id(2)] public bool Events { get; init; }

    /// <summary>The live tasks, as <c>orch ps</c> lists them.</summary>
    public static TaskQuery Live { get; } = new();

    /// <summary>Every task the job remembers, live and ended, as <c>orch ps --all</c> lists them.</summary>
    public static TaskQuery All { get; } = new() { Ended = true };

    /// <summary>
    /// The ids of the tasks to look at, in the order they count against <see cref="Limit"/>: the tasks holding a slot
    /// (<paramref name="holders"/>); with <see cref="Ended"/>, then the others of <paramref name="history"/> (every task
    /// the job remembers, newest first), which have all ended.
    /// </summary>
    public IReadOnlyList<string> Select(IReadOnlyList<string> holders, IEnumerable<string> history)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(history);
        var holding = holders.ToHashSet(StringComparer.Ordinal);
        return [.. (Ended ? holders.Concat(history.Where(id => !holding.Contains(id))) : holders).Take(Limit)];
    }

    /// <summary>The summaries of the tasks looked at, newest first: only those not ended unless <see cref="Ended"/>; with their events if <see cref="Events"/>.</summary>
    public IReadOnlyList<TaskSummary> Summarize(IEnumerable<TaskInfo> tasks) =>
        TaskSummary.NewestFirst(tasks
            .Where(t => Ended || !TaskTransitions.IsTerminal(t.State))
            .Select(t => Events ? TaskSummary.Of(t) with { Events = t.Events } : TaskSummary.Of(t)));
}
