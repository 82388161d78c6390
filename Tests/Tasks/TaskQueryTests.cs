using Orchestrator.Abstractions.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

/// <summary>What a job lists of its tasks for a query (<c>orch ps</c>, <c>--all</c>, <c>orch events</c>, the view), as tables.</summary>
public sealed class TaskQueryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Slots 0 and 1 are held (web-1-held ended: a service task that failed keeps its slot); two tasks gave theirs up.
    private static readonly string[] Holders = ["web-0-held", "web-1-held"];
    private static readonly string[] History = ["web-2-gone", "web-1-held", "web-0-held", "web-0-oldest"];

    public static TheoryData<string, TaskQuery, string[]> Selections => new()
    {
        // because, query, the ids listed in the order they count against the limit
        { "live: the slot holders (one may have ended), and none that gave up its slot", TaskQuery.Live, ["web-0-held", "web-1-held"] },
        { "all: the slot holders, then the others newest first", TaskQuery.All, ["web-0-held", "web-1-held", "web-2-gone", "web-0-oldest"] },
        { "a limit keeps the slot holders before the others", TaskQuery.All with { Limit = 3 }, ["web-0-held", "web-1-held", "web-2-gone"] },
        { "a limit below the slot holders leaves the others out", TaskQuery.All with { Limit = 1 }, ["web-0-held"] },
        { "a limit of none lists nothing", TaskQuery.All with { Limit = 0 }, [] },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void A_query_selects_the_tasks_to_list(string because, TaskQuery query, string[] expected)
    {
        Assert.True(expected.SequenceEqual(query.Select(Holders, History)), because);
    }

    private static TaskInfo Task(string id, TaskState state, int minutes) => new()
    {
        Id = id,
        Job = "web",
        State = state,
        CreatedAt = T0.AddMinutes(minutes),
        Health = state == TaskState.Running ? new TaskHealth { Status = HealthStatus.Healthy } : null,
        Events = [new TaskEvent(T0.AddMinutes(minutes), null, TaskState.Pending, "created")],
    };

    private static readonly TaskInfo[] Read =
    [
        Task("web-0-old", TaskState.Completed, 0),
        Task("web-0-new", TaskState.Running, 2),
        Task("web-1-fail", TaskState.Failed, 1),
        Task("web-1-wait", TaskState.Pending, 3),
    ];

    public static TheoryData<string, TaskQuery, string[]> Summaries => new()
    {
        // because, query, the summaries' ids
        { "live: the tasks read that have not ended, newest first", TaskQuery.Live, ["web-1-wait", "web-0-new"] },
        { "all: every task read, newest first", TaskQuery.All, ["web-1-wait", "web-0-new", "web-1-fail", "web-0-old"] },
    };

    [Theory]
    [MemberData(nameof(Summaries))]
    public void A_query_keeps_the_tasks_it_lists_newest_first(string because, TaskQuery query, string[] expected)
    {
        Assert.True(expected.SequenceEqual(query.Summarize(Read).Select(t => t.Id)), because);
    }

    [Fact]
    public void Events_come_only_when_asked_for()
    {
        Assert.All(TaskQuery.All.Summarize(Read), t => Assert.Empty(t.Events));
        Assert.All(
            (TaskQuery.All with { Events = true }).Summarize(Read),
            t => Assert.Equal(Read.Single(r => r.Id == t.Id).Events, t.Events));
    }

    [Fact]
    public void A_summary_keeps_the_health_verdict_and_null_where_there_is_none()
    {
        var summaries = TaskQuery.All.Summarize(Read);

        Assert.Equal(HealthStatus.Healthy, summaries.Single(t => t.Id == "web-0-new").Health);
        Assert.Null(summaries.Single(t => t.Id == "web-1-wait").Health);
    }
}
