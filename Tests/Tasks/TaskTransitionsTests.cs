using Orchestrator.Abstractions.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

public sealed class TaskTransitionsTests
{
    // The task life (docs/CONTRACT.md, Task states): forward through the life, Failed from any live state, a restart back to Scheduled
    // (also after a container that failed to start), and a stop on purpose ending Completed from any live state.
    private static readonly HashSet<(TaskState From, TaskState To)> AllowedMoves =
    [
        (TaskState.Pending, TaskState.Scheduled),
        (TaskState.Pending, TaskState.Completed),
        (TaskState.Pending, TaskState.Failed),
        (TaskState.Scheduled, TaskState.Scheduled),
        (TaskState.Scheduled, TaskState.Running),
        (TaskState.Scheduled, TaskState.Completed),
        (TaskState.Scheduled, TaskState.Failed),
        (TaskState.Running, TaskState.Scheduled),
        (TaskState.Running, TaskState.Completed),
        (TaskState.Running, TaskState.Failed),
    ];

    public static TheoryData<TaskState, TaskState> Allowed => Moves(AllowedMoves.Contains);

    public static TheoryData<TaskState, TaskState> Refused => Moves(move => !AllowedMoves.Contains(move));

    private static TheoryData<TaskState, TaskState> Moves(Func<(TaskState, TaskState), bool> include)
    {
        var data = new TheoryData<TaskState, TaskState>();
        foreach (var from in Enum.GetValues<TaskState>())
        {
            foreach (var to in Enum.GetValues<TaskState>().Where(to => include((from, to))))
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_transitions_are_allowed(TaskState from, TaskState to)
    {
        Assert.True(TaskTransitions.IsAllowed(from, to));
        Assert.Contains(to, TaskTransitions.From(from));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Every_other_transition_is_refused(TaskState from, TaskState to)
    {
        Assert.False(TaskTransitions.IsAllowed(from, to));
        Assert.DoesNotContain(to, TaskTransitions.From(from));
    }

    [Theory]
    [InlineData(TaskState.Pending, false)]
    [InlineData(TaskState.Scheduled, false)]
    [InlineData(TaskState.Running, false)]
    [InlineData(TaskState.Completed, true)]
    [InlineData(TaskState.Failed, true)]
    public void Only_completed_and_failed_are_terminal(TaskState state, bool terminal)
    {
        Assert.Equal(terminal, TaskTransitions.IsTerminal(state));
        Assert.Equal(terminal, TaskTransitions.From(state).Count == 0);
    }

    [Fact]
    public void A_running_task_cannot_go_back_to_pending_or_stay_put()
    {
        Assert.False(TaskTransitions.IsAllowed(TaskState.Running, TaskState.Pending));
        Assert.False(TaskTransitions.IsAllowed(TaskState.Running, TaskState.Running));
        Assert.False(TaskTransitions.IsAllowed(TaskState.Pending, TaskState.Running));
    }
}
