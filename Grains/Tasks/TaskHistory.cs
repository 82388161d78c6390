using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// A task's moves through its life, as pure functions: the transition table (<see cref="TaskTransitions"/>) says
/// whether a move is allowed, and every move is kept as an event, the newest <see cref="MaxEvents"/> of them.
/// </summary>
public static class TaskHistory
{
    /// <summary>Events kept per task; older ones are dropped so a crash-looping task stays bounded.</summary>
    public const int MaxEvents = 100;

    /// <summary>The task after it moved to <paramref name="to"/> at <paramref name="time"/>, with <paramref name="change"/> applied and the move's event added.</summary>
    /// <exception cref="InvalidOperationException">The transition table does not allow the move.</exception>
    public static TaskInfo Move(TaskInfo info, TaskState to, string reason, DateTimeOffset time, Func<TaskInfo, TaskInfo> change)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(change);
        if (!TaskTransitions.IsAllowed(info.State, to))
        {
            throw new InvalidOperationException($"task {info.Id}: {info.State} → {to} is not an allowed transition");
        }
        var evt = new TaskEvent(time, info.State, to, reason);
        var events = info.Events.Count >= MaxEvents ? info.Events.Skip(info.Events.Count - MaxEvents + 1) : info.Events;
        return change(info) with { State = to, Reason = reason, Events = events.Append(evt).ToArray() };
    }

    /// <summary>When the task was placed, if its current stay in Scheduled began with its placement rather than a restart.</summary>
    public static DateTimeOffset? PlacedAt(TaskInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.Events.LastOrDefault(e => e.To == TaskState.Scheduled && e.From != TaskState.Scheduled) is { From: TaskState.Pending } placed ? placed.Time : null;
    }
}
