using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>What a job changes to make its slots match its spec, as a table.</summary>
public sealed class JobReconcilerTests
{
    /// <summary>A slot's task: <c>R</c> Running, <c>C</c> Completed, <c>F</c> Failed, <c>D</c> Failed and displaced, <c>?</c> not started yet.</summary>
    private static (string TaskId, TaskInfo? Task) Slot(int slot, char task) => ($"web-{slot}-t", task switch
    {
        '?' => null,
        _ => new TaskInfo
        {
            Id = $"web-{slot}-t",
            Job = "web",
            Slot = slot,
            State = task switch { 'R' => TaskState.Running, 'C' => TaskState.Completed, _ => TaskState.Failed },
            Displaced = task == 'D',
        },
    });

    /// <summary>The slots from a string, one character per slot from 0 (see <see cref="Slot"/>); <c>.</c> is an empty slot.</summary>
    private static Dictionary<int, (string TaskId, TaskInfo? Task)> Slots(string slots) =>
        slots.Select((task, slot) => (task, slot)).Where(s => s.task != '.').ToDictionary(s => s.slot, s => Slot(s.slot, s.task));

    public static TheoryData<string, int, JobStatus, string, bool, int[], int[], int[]> Cases => new()
    {
        // because, replicas, status, slots, refillEnded, surging, slots to place, slots to stop (in the plan's order)
        { "a new job fills every slot", 3, JobStatus.Active, "", false, [], [0, 1, 2], [] },
        { "a converged job changes nothing", 3, JobStatus.Active, "RRR", false, [], [], [] },
        { "a slot not started yet is not placed twice", 2, JobStatus.Active, "R?", false, [], [], [] },
        { "an empty slot in the middle is filled", 3, JobStatus.Active, "R.R", false, [], [1], [] },
        { "scaling up places the new slots", 4, JobStatus.Active, "RR", false, [], [2, 3], [] },
        { "scaling down stops the highest slots first", 1, JobStatus.Active, "RRR", false, [], [], [2, 1] },
        { "scaling to zero stops every slot", 0, JobStatus.Active, "RR", false, [], [], [1, 0] },
        { "stopping stops every slot whatever the replicas", 3, JobStatus.Stopped, "RRR", false, [], [], [2, 1, 0] },
        { "a stopped job places nothing", 2, JobStatus.Stopped, "", false, [], [], [] },
        { "a task that completed keeps its slot", 2, JobStatus.Active, "RC", false, [], [], [] },
        { "a task that failed keeps its slot: restarts are the task's", 2, JobStatus.Active, "FR", false, [], [], [] },
        { "a displaced task's slot is placed again", 2, JobStatus.Active, "RD", false, [], [1], [] },
        { "a resubmission refills ended slots", 3, JobStatus.Active, "CFR", true, [], [0, 1], [] },
        { "a resubmission leaves running slots alone", 2, JobStatus.Active, "RR", true, [], [], [] },
        { "a surging slot is the rollout's, even displaced", 2, JobStatus.Active, "DD", false, [1], [0], [] },
        { "a surging slot is the rollout's on a resubmission too", 2, JobStatus.Active, "CC", true, [0], [1], [] },
        { "ended slots above the replicas are stopped, not placed", 1, JobStatus.Active, "RD", true, [], [], [1] },
    };

    public static TheoryData<string, string, bool, int[]> BatchCases => new()
    {
        // because, slots, refillEnded, slots to place
        { "a batch replica that completed is not run again on a resubmission", "CFR", true, [1] },
        { "a batch replica that completed keeps its slot", "CC", false, [] },
        { "a batch replica that failed is left to its reschedules", "FC", false, [] },
        { "a batch replica displaced before it completed is placed again", "DC", false, [0] },
    };

    [Theory]
    [MemberData(nameof(BatchCases))]
    public void A_batch_job_never_replaces_a_replica_that_completed(string because, string slots, bool refillEnded, int[] place)
    {
        var spec = new JobSpec { Name = "web", Image = "img", Replicas = slots.Length, Type = JobTypes.Batch };

        var plan = JobReconciler.Compute(spec, JobStatus.Active, Slots(slots), refillEnded);

        Assert.True(place.SequenceEqual(plan.Place), $"{because}: placed [{string.Join(", ", plan.Place)}]");
    }

    [Fact]
    public void A_scheduled_job_runs_no_task_of_its_own_and_stops_any_it_had()
    {
        var spec = new JobSpec { Name = "web", Image = "img", Replicas = 2, Type = JobTypes.Batch, Schedule = "* * * * *" };

        Assert.True(JobReconciler.Compute(spec, JobStatus.Active, Slots(""), refillEnded: true).IsEmpty);
        var plan = JobReconciler.Compute(spec, JobStatus.Active, Slots("R"), refillEnded: false);

        Assert.Empty(plan.Place);
        Assert.Equal("job scheduled", Assert.Single(plan.Stop).Reason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string because, int replicas, JobStatus status, string slots, bool refillEnded, int[] surging, int[] place, int[] stop)
    {
        var spec = new JobSpec { Name = "web", Image = "img", Replicas = replicas };

        var plan = JobReconciler.Compute(spec, status, Slots(slots), refillEnded, surging.ToHashSet());

        Assert.True(place.SequenceEqual(plan.Place), $"{because}: placed [{string.Join(", ", plan.Place)}]");
        Assert.True(stop.SequenceEqual(plan.Stop.Select(s => s.Slot)), $"{because}: stopped [{string.Join(", ", plan.Stop.Select(s => s.Slot))}]");
        Assert.All(plan.Stop, s => Assert.Equal($"web-{s.Slot}-t", s.TaskId));
        Assert.All(plan.Stop, s => Assert.True(s.FreesSlot, $"{because}: a stop of slot {s.Slot} keeps its slot"));
        Assert.Equal(place.Length == 0 && stop.Length == 0, plan.IsEmpty);
    }

    [Theory]
    [InlineData(JobStatus.Stopped, 2, "job stopped")]
    [InlineData(JobStatus.Active, 1, "scaled down to 1")]
    public void A_stop_says_why(JobStatus status, int replicas, string reason)
    {
        var plan = JobReconciler.Compute(new JobSpec { Name = "web", Image = "img", Replicas = replicas }, status, Slots("RR"), refillEnded: false);

        Assert.Equal(reason, plan.Stop[0].Reason);
    }
}
