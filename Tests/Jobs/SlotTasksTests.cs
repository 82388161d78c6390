using System.Collections.Immutable;
using System.Reflection;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>What a job knows of its tasks from what they tell it.</summary>
public sealed class SlotTasksTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static TaskInfo Moved(params TaskState[] moves) => new()
    {
        Id = "web-0",
        Job = "web",
        State = moves[^1],
        CreatedAt = Created,
        Events = [.. moves.Select((to, i) => new TaskEvent(Created.AddSeconds(i), i == 0 ? null : moves[i - 1], to, "moved"))],
    };

    [Fact]
    public void A_notice_of_an_earlier_move_arriving_late_does_not_undo_what_the_job_knows()
    {
        var tasks = new SlotTasks(new JobStateHolder(), NoGrains());

        tasks.Record(Moved(TaskState.Pending, TaskState.Scheduled, TaskState.Running));
        tasks.Record(Moved(TaskState.Pending, TaskState.Scheduled));

        Assert.Equal(TaskState.Running, tasks.Known["web-0"].State);
    }

    [Fact]
    public void A_notice_of_a_later_move_replaces_what_the_job_knows()
    {
        var tasks = new SlotTasks(new JobStateHolder(), NoGrains());

        tasks.Record(Moved(TaskState.Pending, TaskState.Scheduled));
        tasks.Record(Moved(TaskState.Pending, TaskState.Scheduled, TaskState.Running, TaskState.Failed));

        Assert.Equal(TaskState.Failed, tasks.Known["web-0"].State);
    }

    private sealed class JobStateHolder : IPersistentState<JobState>
    {
        public JobState State { get; set; } = new() { Slots = ImmutableSortedDictionary<int, string>.Empty.Add(0, "web-0") };

        public string? Etag => null;

        public bool RecordExists => true;

        public Task ClearStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync() => Task.CompletedTask;

        public Task ReadStateAsync() => Task.CompletedTask;
    }

    /// <summary>Recording what tasks said reaches no grain: every call fails.</summary>
    private static IGrainFactory NoGrains() => DispatchProxy.Create<IGrainFactory, Unreachable>();

    public class Unreachable : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new NotSupportedException($"{targetMethod?.Name} reached a grain");
    }
}
