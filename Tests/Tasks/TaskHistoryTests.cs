using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

/// <summary>A task's moves as tables: the transition table decides, every move is an event, the newest 100 are kept.</summary>
public sealed class TaskHistoryTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static TaskInfo Task(TaskState state, params TaskEvent[] events) => new()
    {
        Id = "web-0-abc",
        Job = "web",
        Slot = 0,
        Spec = new JobSpec { Name = "web", Image = "img" },
        State = state,
        CreatedAt = T0,
        Reason = "before",
        Events = events,
    };

    private static TaskEvent At(int second, TaskState? from, TaskState to) => new(T0.AddSeconds(second), from, to, $"{from} to {to}");

    private static TaskEvent[] Events(int count) => Enumerable.Range(0, count).Select(i => At(i, TaskState.Scheduled, TaskState.Scheduled)).ToArray();

    public static TheoryData<string, TaskState, TaskState> AllowedMoves => new()
    {
        { "placed", TaskState.Pending, TaskState.Scheduled },
        { "no node will ever fit", TaskState.Pending, TaskState.Failed },
        { "its container started", TaskState.Scheduled, TaskState.Running },
        { "waits for its image, again in Scheduled", TaskState.Scheduled, TaskState.Scheduled },
        { "restarts", TaskState.Running, TaskState.Scheduled },
        { "stopped on purpose", TaskState.Running, TaskState.Completed },
    };

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void An_allowed_move_changes_the_task_and_adds_its_event(string because, TaskState from, TaskState to)
    {
        var earlier = At(0, null, TaskState.Pending);

        var next = TaskHistory.Move(Task(from, earlier), to, "why", T0.AddMinutes(1), i => i with { Node = "node-1" });

        Assert.True(next.State == to && next.Reason == "why" && next.Node == "node-1", because);
        Assert.Equal(new[] { earlier, new TaskEvent(T0.AddMinutes(1), from, to, "why") }, next.Events);
    }

    public static TheoryData<string, TaskState, TaskState> RefusedMoves => new()
    {
        { "a running task never goes back to Pending", TaskState.Running, TaskState.Pending },
        { "Running is no move to itself", TaskState.Running, TaskState.Running },
        { "a Pending task has no container to run", TaskState.Pending, TaskState.Running },
        { "nothing follows Completed", TaskState.Completed, TaskState.Scheduled },
        { "nothing follows Failed, not even Failed", TaskState.Failed, TaskState.Failed },
    };

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public void A_move_the_transition_table_refuses_throws(string because, TaskState from, TaskState to)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TaskHistory.Move(Task(from), to, "why", T0, i => i));

        Assert.True(error.Message == $"task web-0-abc: {from} → {to} is not an allowed transition", because);
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(98, 99, 0)]
    [InlineData(99, 100, 0)]
    [InlineData(100, 100, 1)]
    [InlineData(150, 100, 51)]
    public void Only_the_newest_events_are_kept(int before, int after, int firstKept)
    {
        var next = TaskHistory.Move(Task(TaskState.Scheduled, Events(before)), TaskState.Running, "started", T0.AddDays(1), i => i);

        Assert.Equal(after, next.Events.Count);
        Assert.Equal(before == 0 ? T0.AddDays(1) : T0.AddSeconds(firstKept), next.Events[0].Time);
        Assert.Equal(TaskState.Running, next.Events[^1].To);
    }

    public static TheoryData<string, TaskEvent[], DateTimeOffset?> Placements => new()
    {
        { "not placed yet", [At(0, null, TaskState.Pending)], null },
        { "placed", [At(0, null, TaskState.Pending), At(5, TaskState.Pending, TaskState.Scheduled)], T0.AddSeconds(5) },
        { "placed, then waited for its image", [At(0, null, TaskState.Pending), At(5, TaskState.Pending, TaskState.Scheduled), At(9, TaskState.Scheduled, TaskState.Scheduled)], T0.AddSeconds(5) },
        { "in Scheduled for a restart", [At(5, TaskState.Pending, TaskState.Scheduled), At(6, TaskState.Scheduled, TaskState.Running), At(8, TaskState.Running, TaskState.Scheduled)], null },
        { "a restart that waits for its image", [At(5, TaskState.Pending, TaskState.Scheduled), At(8, TaskState.Running, TaskState.Scheduled), At(9, TaskState.Scheduled, TaskState.Scheduled)], null },
        { "its placement is past the kept events", Events(3), null },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public void A_stay_in_scheduled_is_timed_from_the_placement_only(string because, TaskEvent[] events, DateTimeOffset? placedAt)
    {
        Assert.True(TaskHistory.PlacedAt(Task(TaskState.Scheduled, events)) == placedAt, because);
    }
}
