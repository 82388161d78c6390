using System.Collections.Frozen;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// The explicit transition table of the task life (docs/CONTRACT.md, Task states). A restart goes back to Scheduled on the same node,
/// from Running or, when the container could not even start, from Scheduled; a stop on purpose ends
/// Completed from any live state.
/// </summary>
public static class TaskTransitions
{
    private static readonly FrozenDictionary<TaskState, FrozenSet<TaskState>> Allowed = new Dictionary<TaskState, FrozenSet<TaskState>>
    {
        [TaskState.Pending] = FrozenSet.ToFrozenSet([TaskState.Scheduled, TaskState.Completed, TaskState.Failed]),
        [TaskState.Scheduled] = FrozenSet.ToFrozenSet([TaskState.Scheduled, TaskState.Running, TaskState.Completed, TaskState.Failed]),
        [TaskState.Running] = FrozenSet.ToFrozenSet([TaskState.Scheduled, TaskState.Completed, TaskState.Failed]),
        [TaskState.Completed] = FrozenSet<TaskState>.Empty,
        [TaskState.Failed] = FrozenSet<TaskState>.Empty,
    }.ToFrozenDictionary();

    /// <summary>True when a task may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TaskState from, TaskState to) => Allowed[from].Contains(to);

    /// <summary>True for Completed and Failed: nothing follows them.</summary>
    public static bool IsTerminal(TaskState state) => Allowed[state].Count == 0;

    /// <summary>The states a task may move to from <paramref name="from"/>.</summary>
    public static IReadOnlySet<TaskState> From(TaskState from) => Allowed[from];
}
