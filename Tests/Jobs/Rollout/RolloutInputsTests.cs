using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs.Rollout;

/// <summary>What the rollout planner is told of a job's tasks: which are outdated, which Ready and since when, and why they failed.</summary>
public sealed class RolloutInputsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JobSpec Latest = new()
    {
        Name = "web",
        Image = "img:2",
        Replicas = 1,
        Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a") },
    };

    private static readonly HealthSpec Check = new() { Exec = ["true"] };

    private static JobState State(JobSpec spec, JobStatus status = JobStatus.Active) => new()
    {
        Spec = spec,
        Status = status,
        Slots = ImmutableSortedDictionary<int, string>.Empty.Add(0, "t-0"),
        Versions =
        [
            new JobVersion { Number = 1, Spec = spec with { Image = "img:1" }, Status = JobVersionStatus.Current, HealthyAt = Now.AddDays(-1) },
            new JobVersion { Number = 2, Spec = spec, Status = JobVersionStatus.Rolling },
        ],
    };

    private static readonly NodeInfo[] Nodes =
    [
        new() { Name = "node-a", Labels = new Dictionary<string, string> { ["zone"] = "a" } },
        new() { Name = "node-b", Labels = new Dictionary<string, string> { ["zone"] = "b" } },
        new() { Name = "node-c", Status = NodeStatus.Draining, Labels = new Dictionary<string, string> { ["zone"] = "a" } },
    ];

    /// <summary>Slot 0's task, Running on node-a since 5 minutes ago and created 6 minutes ago, running <paramref name="spec"/> as version <paramref name="version"/>.</summary>
    private static TaskInfo Task(JobSpec? spec, int version = 2, string node = "node-a") => new()
    {
        Id = "t-0",
        Job = "web",
        Node = node,
        ContainerId = "c-1",
        Spec = spec,
        Version = version,
        State = TaskState.Running,
        CreatedAt = Now.AddMinutes(-6),
        Events = [new TaskEvent(Now.AddMinutes(-6), null, TaskState.Pending, "created"), new TaskEvent(Now.AddMinutes(-5), TaskState.Scheduled, TaskState.Running, "started")],
    };

    private static RolloutTask Read(TaskInfo? task, JobSpec? spec = null)
    {
        var tasks = task is null ? new Dictionary<string, TaskInfo>() : new Dictionary<string, TaskInfo> { [task.Id] = task };
        var input = RolloutInputs.From(State(spec ?? Latest), tasks, Nodes, Now);
        return Assert.Single(input.Slots).Current!;
    }

    public static TheoryData<string, TaskInfo, bool> OutdatedCases => new()
    {
        // because, slot 0's task, outdated
        { "it runs the latest version's tasks", Task(Latest), false },
        { "it runs the tasks of an older version", Task(Latest with { Image = "img:1" }, version: 1), true },
        { "a version that differs only in its replicas runs the same tasks", Task(Latest with { Replicas = 5 }, version: 1), false },
        { "its node drains", Task(Latest, node: "node-c"), true },
        { "its node no longer meets the constraints", Task(Latest, node: "node-b"), true },
        { "its node is unknown here: nothing says it moves", Task(Latest, node: "node-x"), false },
        { "its spec is not known: nothing says it differs", Task(null, version: 1), false },
    };

    [Theory]
    [MemberData(nameof(OutdatedCases))]
    public void A_task_is_outdated_when_it_runs_other_tasks_than_the_latest_version_or_sits_where_that_version_may_not(string because, TaskInfo task, bool outdated)
    {
        Assert.True(outdated == Read(task).Outdated, because);
    }

    [Fact]
    public void A_task_not_started_yet_counts_as_one_of_the_latest_version_created_now()
    {
        var task = Read(null);

        Assert.Equal(new RolloutTask { Id = "t-0", Version = 2, CreatedAt = Now }, task);
    }

    [Fact]
    public void Without_a_health_check_a_running_task_is_ready_since_it_started_running()
    {
        var task = Read(Task(Latest));

        Assert.True(task.Ready);
        Assert.Equal(Now.AddMinutes(-5), task.ReadySince);
        Assert.Equal(Now.AddMinutes(-6), task.CreatedAt);
        Assert.False(task.Ended);
    }

    public static TheoryData<string, TaskHealth?, bool> HealthCases => new()
    {
        // because, slot 0's health, ready
        { "no check answered yet", null, false },
        { "healthy", new TaskHealth { Status = HealthStatus.Healthy, ContainerId = "c-1", CheckedAt = Now.AddSeconds(-30) }, true },
        { "healthy, but an earlier container was checked", new TaskHealth { Status = HealthStatus.Healthy, ContainerId = "c-0", CheckedAt = Now.AddSeconds(-30) }, false },
        { "unhealthy", new TaskHealth { Status = HealthStatus.Unhealthy, ContainerId = "c-1", CheckedAt = Now.AddSeconds(-30) }, false },
    };

    [Theory]
    [MemberData(nameof(HealthCases))]
    public void With_a_health_check_a_running_task_is_ready_once_its_own_container_is_healthy_and_since_that_check(string because, TaskHealth? health, bool ready)
    {
        var spec = Latest with { Health = Check };

        var task = Read(Task(spec) with { Health = health }, spec);

        Assert.True(ready == task.Ready, because);
        Assert.Equal(ready ? Now.AddSeconds(-30) : null, task.ReadySince);
    }

    [Fact]
    public void A_task_that_ended_after_failing_its_checks_says_both_why()
    {
        var spec = Latest with { Health = Check };
        var failed = Task(spec) with
        {
            State = TaskState.Failed,
            Reason = "unhealthy: 3 checks failed",
            Health = new TaskHealth { Status = HealthStatus.Unhealthy, LastFailure = "exec true exited 1", ContainerId = "c-1" },
        };

        var task = Read(failed, spec);

        Assert.True(task.Ended);
        Assert.False(task.Completed);
        Assert.False(task.Ready);
        Assert.Equal("unhealthy: 3 checks failed; health check: exec true exited 1", task.Reason);
    }

    [Theory]
    [InlineData(JobStatus.Active, null, 1)]
    [InlineData(JobStatus.Stopped, null, 0)]
    [InlineData(JobStatus.Active, "* * * * *", 0)]
    public void A_stopped_or_scheduled_job_wants_no_replicas_of_its_own(JobStatus status, string? schedule, int replicas)
    {
        var spec = Latest with { Schedule = schedule, Type = schedule is null ? JobTypes.Service : JobTypes.Batch };

        var input = RolloutInputs.From(State(spec, status), new Dictionary<string, TaskInfo>(), Nodes, Now);

        Assert.Equal(replicas, input.Replicas);
        Assert.Equal(2, input.Version);
        Assert.Equal(JobVersionStatus.Rolling, input.Status);
        Assert.Equal(1, input.LastHealthy);
        Assert.Equal(Now, input.Now);
    }
}
