using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Jobs.Batch;
using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>What one reconcile pass of a job stops, writes and starts, as tables.</summary>
public sealed class PassPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Earlier = Now.AddHours(-1);

    private static JobSpec Spec(int replicas, string image = "img:2", string type = JobTypes.Service) =>
        new() { Name = "web", Image = image, Replicas = replicas, Type = type };

    private static JobVersion Version(int number, JobSpec spec, JobVersionStatus status, DateTimeOffset? healthyAt = null) =>
        new() { Number = number, Spec = spec, SubmittedAt = Earlier, Status = status, HealthyAt = healthyAt };

    /// <summary>
    /// A job at version 2 whose slots are given one character per slot from 0: <c>R</c> Running, <c>C</c> Completed,
    /// <c>F</c> Failed on node-a, <c>D</c> Failed and displaced, <c>?</c> not started yet, <c>.</c> no slot.
    /// Slot N's task is <c>t-N</c>; every task of the job is in its history.
    /// </summary>
    private static (JobState State, Dictionary<string, TaskInfo> Tasks) Job(
        string slots, int replicas, JobStatus status = JobStatus.Active, string type = JobTypes.Service, string surge = "")
    {
        var spec = Spec(replicas, type: type);
        var filled = slots.Select((task, slot) => (task, slot)).Where(s => s.task != '.').ToList();
        var surged = surge.Select((task, slot) => (task, slot)).Where(s => s.task != '.').ToList();
        var tasks = filled.Where(s => s.task != '?').Select(s => Task($"t-{s.slot}", s.slot, s.task))
            .Concat(surged.Where(s => s.task != '?').Select(s => Task($"s-{s.slot}", s.slot, s.task)))
            .ToDictionary(t => t.Id, StringComparer.Ordinal);
        var state = new JobState
        {
            Spec = spec,
            Status = status,
            Slots = filled.ToImmutableSortedDictionary(s => s.slot, s => $"t-{s.slot}"),
            Surge = surged.ToImmutableSortedDictionary(s => s.slot, s => $"s-{s.slot}"),
            History = [.. surged.Select(s => $"s-{s.slot}"), .. filled.Select(s => $"t-{s.slot}")],
            Versions = [Version(1, Spec(replicas, "img:1", type), JobVersionStatus.Superseded, Earlier), Version(2, spec, JobVersionStatus.Current, Earlier)],
            UpdatedAt = Earlier,
        };
        return (state, tasks);
    }

    private static TaskInfo Task(string id, int slot, char state) => new()
    {
        Id = id,
        Job = "web",
        Slot = slot,
        Node = "node-a",
        Version = 2,
        Reason = state == 'F' ? "exited with code 1" : null,
        State = state switch { 'R' => TaskState.Running, 'C' => TaskState.Completed, _ => TaskState.Failed },
        Displaced = state == 'D',
    };

    private static RolloutPlan Rollout(
        int[]? startSurge = null, int[]? promote = null, int[]? replace = null, SurgeStop[]? stopSurge = null,
        RolloutOutcome outcome = RolloutOutcome.None, string? reason = null) => new()
        {
            StartSurge = startSurge ?? [],
            Promote = promote ?? [],
            Replace = replace ?? [],
            StopSurge = stopSurge ?? [],
            Outcome = outcome,
            Reason = reason,
            Progress = new RolloutProgress(),
        };

    private static PassPlan Compute((JobState State, Dictionary<string, TaskInfo> Tasks) job, RolloutPlan? rollout = null, bool refillEnded = false) =>
        PassPlanner.Compute("web", job.State, job.Tasks, rollout ?? Rollout(), refillEnded, Now, slot => $"new-{slot}");

    private static string Show<T>(IEnumerable<T> items) => $"[{string.Join(", ", items)}]";

    public static TheoryData<string, string, int, JobStatus, bool, string, string, string, bool> Cases => new()
    {
        // because, slots, replicas, status, refillEnded, stops (task: reason), slots after, tasks started, state written
        { "a new job creates and starts a task per slot", "", 2, JobStatus.Active, true, "", "0=new-0 1=new-1", "new-0 new-1", true },
        { "a converged job stops, starts and writes nothing", "RR", 2, JobStatus.Active, false, "", "0=t-0 1=t-1", "", false },
        { "a task the job wrote but never started (a crash in between) is started, not written again", "R?", 2, JobStatus.Active, false, "", "0=t-0 1=t-1", "t-1", false },
        { "scaling down stops the highest slots and frees them", "RRR", 1, JobStatus.Active, false, "t-2: scaled down to 1, t-1: scaled down to 1", "0=t-0", "", true },
        { "stopping stops every task and starts none", "RR", 2, JobStatus.Stopped, false, "t-1: job stopped, t-0: job stopped", "", "", true },
        { "a displaced task's slot gets a new task", "RD", 2, JobStatus.Active, false, "", "0=t-0 1=new-1", "new-1", true },
        { "a resubmission gives an ended slot a new task", "CR", 2, JobStatus.Active, true, "", "0=new-0 1=t-1", "new-0", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string because, string slots, int replicas, JobStatus status, bool refillEnded, string stops, string after, string started, bool written)
    {
        var pass = Compute(Job(slots, replicas, status), refillEnded: refillEnded);

        Assert.True(stops == string.Join(", ", pass.Stops.Select(s => $"{s.TaskId}: {s.Reason}")), $"{because}: stopped {Show(pass.Stops)}");
        Assert.True(after == string.Join(" ", pass.After.Slots.Select(s => $"{s.Key}={s.Value}")), $"{because}: slots {Show(pass.After.Slots)}");
        Assert.True(started == string.Join(" ", pass.Start.Select(s => s.TaskId)), $"{because}: started {Show(pass.Start.Select(s => s.TaskId))}");
        Assert.True(written == pass.Changes, $"{because}: written {pass.Changes}");
    }

    [Fact]
    public void New_tasks_go_first_in_the_history_and_tasks_that_leave_their_slot_are_timed_from_now()
    {
        var job = Job("RDR", 2);
        job.State = job.State with { Released = ImmutableDictionary<string, DateTimeOffset>.Empty.Add("gone-before", Earlier), History = job.State.History.Add("gone-before") };

        var pass = Compute(job);

        Assert.Equal(["t-2"], pass.Stops.Select(s => s.TaskId));
        Assert.Equal(["new-1", "t-0", "t-1", "t-2", "gone-before"], pass.After.History);
        Assert.Equal(Now, pass.After.Released["t-1"]);
        Assert.Equal(Now, pass.After.Released["t-2"]);
        Assert.Equal(Earlier, pass.After.Released["gone-before"]);
        Assert.False(pass.After.Released.ContainsKey("t-0"));
        Assert.Equal(Now, pass.After.UpdatedAt);
    }

    [Fact]
    public void A_promoted_task_takes_its_slot_and_the_task_it_replaces_stops_saying_by_what()
    {
        var pass = Compute(Job("RR", 2, surge: "R"), Rollout(promote: [0], startSurge: [1]));

        Assert.Equal(["t-0: replaced by s-0 of version 2"], pass.Stops.Select(s => $"{s.TaskId}: {s.Reason}"));
        Assert.All(pass.Stops, s => Assert.False(s.FreesSlot));
        Assert.Equal("s-0", pass.After.Slots[0]);
        Assert.Equal(KeyValuePair.Create(1, "new-1"), Assert.Single(pass.After.Surge));
        Assert.Equal(["new-1"], pass.Start.Select(s => s.TaskId));
        Assert.Equal(Now, pass.After.Released["t-0"]);
        Assert.True(pass.Changes);
    }

    [Fact]
    public void A_task_replaced_in_place_stops_and_its_slot_gets_a_new_task_of_the_version_at_once()
    {
        var pass = Compute(Job("RF", 2), Rollout(replace: [1]));

        Assert.Equal(["t-1: replaced in place by version 2: it was not Running and Healthy"], pass.Stops.Select(s => $"{s.TaskId}: {s.Reason}"));
        Assert.Equal("new-1", pass.After.Slots[1]);
        var (taskId, assignment) = Assert.Single(pass.Start);
        Assert.Equal("new-1", taskId);
        Assert.Equal(("web", 1, 2), (assignment.Job, assignment.Slot, assignment.Version));
        Assert.Equal(pass.After.Spec, assignment.Spec);
        Assert.Empty(assignment.ExcludedNodes);
        Assert.Null(assignment.Why);
    }

    [Fact]
    public void A_new_task_the_rollout_gives_up_on_stops_for_its_reason_and_leaves_the_slot_to_the_old_one()
    {
        var pass = Compute(Job("RR", 2, surge: "F"), Rollout(stopSurge: [new SurgeStop(0, "not healthy in time")]));

        Assert.Equal(["s-0: not healthy in time"], pass.Stops.Select(s => $"{s.TaskId}: {s.Reason}"));
        Assert.Empty(pass.After.Surge);
        Assert.Equal("t-0", pass.After.Slots[0]);
        Assert.Equal(Now, pass.After.Released["s-0"]);
    }

    [Fact]
    public void A_batch_replica_that_failed_is_tried_again_away_from_the_node_it_failed_on_and_its_first_event_says_why()
    {
        var pass = Compute(Job("FC", 2, type: JobTypes.Batch));

        var rescheduled = Assert.Single(pass.Rescheduled);
        Assert.Equal(0, rescheduled.Slot);
        Assert.Equal("new-0", rescheduled.Attempts.TaskId);
        Assert.Equal(rescheduled.Attempts, pass.After.Attempts[0]);
        Assert.Equal("new-0", pass.After.Slots[0]);
        var (taskId, assignment) = Assert.Single(pass.Start);
        Assert.Equal("new-0", taskId);
        Assert.Equal(["node-a"], assignment.ExcludedNodes);
        Assert.Equal(rescheduled.Attempts.Why, assignment.Why);
        Assert.Contains("rescheduled from node-a", assignment.Why, StringComparison.Ordinal);
        Assert.True(pass.Changes);
    }

    [Fact]
    public void A_resubmission_gives_a_failed_batch_replica_its_reschedules_afresh_and_a_slot_scaled_away_loses_them()
    {
        var job = Job("FFF", 2, type: JobTypes.Batch);
        var used = new SlotAttempts { Reschedules = 1, FailedNodes = ["node-b"], TaskId = "t-0" };
        job.State = job.State with { Attempts = ImmutableSortedDictionary<int, SlotAttempts>.Empty.Add(0, used).Add(2, used) };

        var pass = Compute(job, refillEnded: true);

        Assert.Empty(pass.Rescheduled);
        Assert.Empty(pass.After.Attempts);
        Assert.Equal(["new-0", "new-1"], pass.Start.Select(s => s.TaskId));
        Assert.All(pass.Start, s => Assert.Empty(s.Assignment.ExcludedNodes));
    }

    [Fact]
    public void A_failed_version_with_auto_revert_becomes_a_new_version_with_the_last_healthy_spec_and_new_tasks_run_it()
    {
        var job = Job("RR", 2);
        var healthy = Spec(2, "img:1");
        job.State = job.State with
        {
            Versions = [Version(1, healthy, JobVersionStatus.Current, Earlier), Version(2, Spec(2), JobVersionStatus.Rolling)],
        };

        var pass = Compute(job, Rollout(replace: [1], outcome: RolloutOutcome.Revert, reason: "new replica failed"));

        Assert.Equal(healthy, pass.After.Spec);
        Assert.Equal([JobVersionStatus.Current, JobVersionStatus.Reverted, JobVersionStatus.Rolling], pass.After.Versions.Select(v => v.Status));
        Assert.Equal("rollback to version 1: version 2 failed", pass.After.Versions[^1].Reason);
        var (_, assignment) = Assert.Single(pass.Start);
        Assert.Equal(healthy, assignment.Spec);
        Assert.Equal(3, assignment.Version);
        Assert.True(pass.Changes);
    }

    [Fact]
    public void A_rollout_outcome_alone_is_written()
    {
        var job = Job("RR", 2);
        job.State = job.State with { Versions = job.State.Versions.SetItem(1, job.State.Versions[1] with { Status = JobVersionStatus.Rolling, HealthyAt = null }) };

        var pass = Compute(job, Rollout(outcome: RolloutOutcome.Healthy));

        Assert.Empty(pass.Stops);
        Assert.Empty(pass.Start);
        Assert.Equal(JobVersionStatus.Current, pass.After.Versions[^1].Status);
        Assert.Equal(Now, pass.After.Versions[^1].HealthyAt);
        Assert.True(pass.Changes);
    }

    [Fact]
    public void Beyond_the_history_bound_the_oldest_tasks_that_left_their_slot_are_forgotten_and_slot_holders_never()
    {
        var job = Job("R", 2);
        var old = Enumerable.Range(0, JobHistory.MaxTasks).Select(i => $"old-{i}").ToList();
        job.State = job.State with
        {
            // The oldest task of all still holds slot 0: it is never forgotten.
            History = [.. old, "t-0"],
            Released = old.ToImmutableDictionary(id => id, _ => Earlier),
        };

        var pass = Compute(job);

        Assert.Equal(JobHistory.MaxTasks + 2, pass.After.History.Count);
        Assert.Equal(["old-999", "old-998"], pass.Forget);
    }
}
