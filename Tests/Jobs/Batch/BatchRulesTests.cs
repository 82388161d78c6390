using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Jobs.Batch;
using Xunit;

namespace Orchestrator.Tests.Jobs.Batch;

/// <summary>What a batch job does with its replicas' tasks (reschedule, succeed, fail), as tables.</summary>
public sealed class BatchRulesTests
{
    private static JobSpec Spec(int replicas, int? reschedules = null, string type = JobTypes.Batch) =>
        new() { Name = "sum", Image = "img", Replicas = replicas, Type = type, Restart = new RestartSpec { Reschedules = reschedules } };

    /// <summary>
    /// A slot's task, one character per slot from 0: <c>R</c> Running, <c>C</c> Completed, <c>F</c> Failed on node-a,
    /// <c>D</c> Failed and displaced, <c>c</c> Completed and displaced (drained), <c>?</c> not started yet.
    /// </summary>
    private static Dictionary<int, (string TaskId, TaskInfo? Task)> Slots(string slots) =>
        slots.Select((task, slot) => (task, slot)).ToDictionary(s => s.slot, s => ($"sum-{s.slot}-t", s.task == '?' ? null : new TaskInfo
        {
            Id = $"sum-{s.slot}-t",
            Job = "sum",
            Slot = s.slot,
            Node = "node-a",
            Restarts = 3,
            Reason = "exited with code 1; no restart left (3 of 3 used)",
            State = s.task switch { 'R' => TaskState.Running, 'C' or 'c' => TaskState.Completed, _ => TaskState.Failed },
            Displaced = s.task is 'D' or 'c',
        }));

    /// <summary>Reschedules used per slot from a string, one digit per slot; each used one failed on node-b.</summary>
    private static Dictionary<int, SlotAttempts> Attempts(string used) =>
        used.Select((n, slot) => (n: n - '0', slot)).Where(a => a.n > 0)
            .ToDictionary(a => a.slot, a => new SlotAttempts { Reschedules = a.n, FailedNodes = ["node-b"] });

    public static TheoryData<string, string, string, int?, int[]> RescheduleCases => new()
    {
        // because, slots, reschedules used per slot, restart.reschedules, slots rescheduled
        { "a task that failed is tried again (one reschedule by default)", "F", "0", null, [0] },
        { "a task that failed with its reschedules used is not", "F", "1", null, [] },
        { "more reschedules allowed: tried again", "F", "1", 2, [0] },
        { "reschedules 0: never tried again", "F", "0", 0, [] },
        { "a running, completed or unstarted task is left alone", "RC?", "000", null, [] },
        { "a displaced task is the job's to replace, not a reschedule", "D", "0", null, [] },
        { "each failed slot on its own", "FRF", "010", null, [0, 2] },
    };

    [Theory]
    [MemberData(nameof(RescheduleCases))]
    public void A_task_that_failed_on_its_own_is_rescheduled_while_the_slot_has_reschedules_left(string because, string slots, string used, int? allowed, int[] rescheduled)
    {
        var decided = BatchRules.Reschedules(Spec(slots.Length, allowed), JobStatus.Active, Slots(slots), Attempts(used), new HashSet<int>());

        Assert.True(rescheduled.SequenceEqual(decided.Select(r => r.Slot)), $"{because}: rescheduled [{string.Join(", ", decided.Select(r => r.Slot))}]");
    }

    [Fact]
    public void A_reschedule_counts_and_excludes_every_node_the_slot_failed_on_and_says_so()
    {
        var decided = BatchRules.Reschedules(Spec(1, 2), JobStatus.Active, Slots("F"), Attempts("1"), new HashSet<int>()).Single();

        Assert.Equal(2, decided.Attempts.Reschedules);
        Assert.Equal(new[] { "node-b", "node-a" }, decided.Attempts.FailedNodes);
        Assert.Equal(
            "rescheduled from node-a after 3 restarts (exited with code 1; no restart left (3 of 3 used)); reschedule 2 of 2, not on node-b, node-a",
            decided.Attempts.Why);
    }

    [Theory]
    [InlineData(JobTypes.Service, JobStatus.Active, "")]
    [InlineData(JobTypes.Batch, JobStatus.Stopped, "")]
    [InlineData(JobTypes.Batch, JobStatus.Active, "0")]
    public void Only_an_active_batch_job_reschedules(string type, JobStatus status, string expected)
    {
        var spec = type == JobTypes.Batch ? Spec(1) : Spec(1) with { Type = type, Restart = new RestartSpec() };

        var decided = BatchRules.Reschedules(spec, status, Slots("F"), Attempts("0"), new HashSet<int>());

        Assert.Equal(expected, string.Concat(decided.Select(r => r.Slot)));
    }

    [Fact]
    public void A_slot_something_else_fills_this_pass_is_not_rescheduled()
    {
        Assert.Empty(BatchRules.Reschedules(Spec(1), JobStatus.Active, Slots("F"), Attempts("0"), new HashSet<int> { 0 }));
    }

    public static TheoryData<string, string, string, BatchStatus, int, string?> OutcomeCases => new()
    {
        // because, slots, reschedules used per slot, outcome, completed, failed task
        { "every replica completed: succeeded", "CC", "00", BatchStatus.Succeeded, 2, null },
        { "one still runs", "CR", "00", BatchStatus.Running, 1, null },
        { "one not started yet", "C?", "00", BatchStatus.Running, 1, null },
        { "a failed one with a reschedule left is still running", "CF", "00", BatchStatus.Running, 1, null },
        { "a failed one with no reschedule left fails the job", "CF", "01", BatchStatus.Failed, 1, "sum-1-t" },
        { "a displaced one will be placed again", "CD", "01", BatchStatus.Running, 1, null },
        { "one completed only because it was drained does not count", "Cc", "00", BatchStatus.Running, 1, null },
        { "no replicas: nothing left to do", "", "", BatchStatus.Succeeded, 0, null },
    };

    [Theory]
    [MemberData(nameof(OutcomeCases))]
    public void A_batch_job_succeeds_when_every_replica_completed_and_fails_when_one_failed_for_good(
        string because, string slots, string used, BatchStatus status, int completed, string? failedTask)
    {
        var outcome = BatchRules.Outcome(Spec(slots.Length), Slots(slots), Attempts(used))!;

        Assert.True(status == outcome.Status, $"{because}: {outcome.Status}");
        Assert.Equal(completed, outcome.Completed);
        Assert.Equal(slots.Length, outcome.Replicas);
        Assert.Equal(failedTask, outcome.FailedTask);
        Assert.Equal(failedTask is not null, outcome.Reason?.Contains("no reschedule left", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_service_job_has_no_batch_outcome()
    {
        Assert.Null(BatchRules.Outcome(Spec(1) with { Type = JobTypes.Service }, Slots("C"), ImmutableDictionary<int, SlotAttempts>.Empty));
    }
}
