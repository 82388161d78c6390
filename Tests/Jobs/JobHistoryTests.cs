using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>When a job forgets its ended tasks, and itself once stopped, as tables.</summary>
public sealed class JobHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>
    /// A job whose history is given one task per character, newest first: <c>H</c> holds a slot, <c>S</c> was started
    /// beside one (surge), <c>o</c> left its slot before the retention began (released 2 h ago), <c>n</c> left it
    /// within the retention (released 10 min ago), <c>u</c> left it before release times were kept (none).
    /// Task N is <c>t-N</c>.
    /// </summary>
    private static JobState State(string history, JobStatus status = JobStatus.Active) => new()
    {
        Spec = new JobSpec { Name = "web", Image = "img", Replicas = 1 },
        Status = status,
        History = [.. history.Select((_, i) => $"t-{i}")],
        Slots = history.Select((kind, i) => (kind, i)).Where(t => t.kind == 'H').ToImmutableSortedDictionary(t => t.i, t => $"t-{t.i}"),
        Surge = history.Select((kind, i) => (kind, i)).Where(t => t.kind == 'S').ToImmutableSortedDictionary(t => t.i, t => $"t-{t.i}"),
        Released = history.Select((kind, i) => (kind, i)).Where(t => t.kind is 'o' or 'n')
            .ToImmutableDictionary(t => $"t-{t.i}", t => t.kind == 'o' ? Now.AddHours(-2) : Now.AddMinutes(-10)),
        UpdatedAt = Now.AddHours(-2),
    };

    public static TheoryData<string, string, string, bool> PruneCases => new()
    {
        // because, history, tasks due, state written
        { "a task that left its slot a retention ago is due", "Ho", "t-1", true },
        { "one that left within the retention is not, and nothing is written", "Hn", "", false },
        { "slot holders and surge tasks are never due", "HS", "", false },
        { "a task with no release time is timed from now, not forgotten", "Hu", "", true },
        { "each task on its own", "onHuo", "t-0 t-4", true },
    };

    [Theory]
    [MemberData(nameof(PruneCases))]
    public void A_prune_forgets_the_tasks_that_left_their_slot_a_retention_ago(string because, string history, string due, bool written)
    {
        var prune = JobHistory.Prune(State(history), Now, Retention);

        Assert.True(due == string.Join(" ", prune.Due.Order(StringComparer.Ordinal)), $"{because}: due [{string.Join(", ", prune.Due)}]");
        Assert.True(written == prune.Changes, $"{because}: written {prune.Changes}");
        Assert.All(history.Select((kind, i) => (kind, i)).Where(t => t.kind == 'u'), t => Assert.Equal(Now, prune.Released[$"t-{t.i}"]));
    }

    [Fact]
    public void After_a_prune_the_tasks_gone_are_forgotten_and_one_that_refused_is_timed_again_from_now()
    {
        var state = State("Hoon");
        var prune = JobHistory.Prune(state, Now, Retention);

        var pruned = JobHistory.Pruned(state, prune, new HashSet<string>(["t-1"]), Now);

        Assert.Equal(["t-0", "t-2", "t-3"], pruned.History);
        Assert.False(pruned.Released.ContainsKey("t-1"));
        Assert.Equal(Now, pruned.Released["t-2"]);
        Assert.Equal(Now.AddMinutes(-10), pruned.Released["t-3"]);
    }

    [Fact]
    public void Tasks_that_leave_their_slots_are_timed_from_the_pass_and_earlier_release_times_stay()
    {
        var before = State("HSHo");
        var after = before with { Slots = before.Slots.Remove(2), Surge = ImmutableSortedDictionary<int, string>.Empty };

        var released = JobHistory.Release(before, after, Now);

        Assert.Equal(Now, released["t-1"]);
        Assert.Equal(Now, released["t-2"]);
        Assert.Equal(Now.AddHours(-2), released["t-3"]);
        Assert.False(released.ContainsKey("t-0"));
    }

    [Theory]
    [InlineData(0, new string[0])]
    [InlineData(1, new[] { "t-998" })]
    [InlineData(2, new[] { "t-999", "t-998" })]
    public void Beyond_the_bound_the_oldest_tasks_that_left_their_slot_go_first_and_slot_holders_never(int over, string[] forgotten)
    {
        // Newest first: the oldest task holds a slot, and the one before it was started beside one.
        var state = State(new string('o', JobHistory.MaxTasks + over - 2) + "SH");

        Assert.Equal(forgotten, JobHistory.Overflow(state));
    }

    [Theory]
    [InlineData(JobStatus.Stopped, "", 2.0, true)]
    [InlineData(JobStatus.Stopped, "", 0.5, false)]
    [InlineData(JobStatus.Stopped, "o", 2.0, false)]
    [InlineData(JobStatus.Active, "", 2.0, false)]
    public void A_stopped_job_with_nothing_left_is_removed_a_retention_after_its_last_change(JobStatus status, string history, double hoursSinceChange, bool removed)
    {
        var state = State(history, status) with { UpdatedAt = Now.AddHours(-hoursSinceChange) };

        Assert.Equal(removed, JobHistory.Removable(state, Now, Retention));
    }
}
