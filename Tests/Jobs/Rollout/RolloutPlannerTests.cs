using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs.Rollout;

/// <summary>The rollout planner's decisions, one situation per row.</summary>
public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A task of version 1 (the old spec when the job rolls out version 2), Ready for an hour.</summary>
    private static RolloutTask Old(int slot) => new()
    {
        Id = $"old-{slot}",
        Version = 1,
        Outdated = true,
        Ready = true,
        ReadySince = Now.AddHours(-1),
        CreatedAt = Now.AddHours(-1),
    };

    /// <summary>A task of version 2 created <paramref name="age"/> seconds ago, Ready for <paramref name="readyFor"/> seconds (null: not Ready).</summary>
    private static RolloutTask New(int slot, double age, double? readyFor = null, string? reason = null) => new()
    {
        Id = $"new-{slot}",
        Version = 2,
        Running = readyFor is not null,
        Ready = readyFor is not null,
        ReadySince = readyFor is { } r ? Now.AddSeconds(-r) : null,
        CreatedAt = Now.AddSeconds(-age),
        Reason = reason,
    };

    private static RolloutInput Input(int replicas, IEnumerable<RolloutSlot> slots, UpdateSpec? update = null,
        JobVersionStatus status = JobVersionStatus.Rolling, int? lastHealthy = 1) => new()
        {
            Slots = slots.ToList(),
            Replicas = replicas,
            Version = 2,
            Status = status,
            Update = update ?? new UpdateSpec { MaxParallel = 1, MinHealthySeconds = 10, HealthyDeadlineSeconds = 60 },
            LastHealthy = lastHealthy,
            Now = Now,
        };

    private static IEnumerable<RolloutSlot> AllOld(int replicas) => Enumerable.Range(0, replicas).Select(s => new RolloutSlot(s, Old(s), null));

    [Theory]
    [InlineData(4, 1, new[] { 0 })]
    [InlineData(4, 2, new[] { 0, 1 })]
    [InlineData(3, 5, new[] { 0, 1, 2 })]
    public void A_new_version_starts_max_parallel_new_replicas_beside_the_old_ones_and_stops_none(int replicas, int maxParallel, int[] surged)
    {
        var plan = RolloutPlanner.Compute(Input(replicas, AllOld(replicas), new UpdateSpec { MaxParallel = maxParallel }));

        Assert.Equal(surged, plan.StartSurge);
        Assert.Empty(plan.Promote);
        Assert.Empty(plan.Replace);
        Assert.Empty(plan.StopSurge);
        Assert.Equal(RolloutOutcome.None, plan.Outcome);
        Assert.Equal(replicas, plan.Progress.Remaining);
    }

    [Theory]
    [InlineData(null, false)] // started, not Ready yet
    [InlineData(9.9, false)] // Ready, but not for minHealthySeconds yet
    [InlineData(10.0, true)]
    public void A_new_replica_takes_its_slot_over_only_after_min_healthy_seconds_and_then_the_next_slot_starts(double? readyFor, bool counts)
    {
        var slots = new[] { new RolloutSlot(0, Old(0), New(0, age: 30, readyFor)), new RolloutSlot(1, Old(1), null) };

        var plan = RolloutPlanner.Compute(Input(2, slots));

        Assert.Equal(counts ? new[] { 0 } : [], plan.Promote);
        Assert.Equal(counts ? new[] { 1 } : [], plan.StartSurge);
        Assert.Equal(RolloutOutcome.None, plan.Outcome);
    }

    public static TheoryData<string, RolloutSlot[], double?> QuietCases => new()
    {
        // because, slots (minHealthySeconds 10, healthyDeadlineSeconds 60, maxParallel 1 unless more surge), seconds from now until the rollout can move by time alone
        { "the new replica is not Ready: only asking it tells when it is", [new(0, Old(0), New(0, age: 5)), new(1, Old(1), null)], null },
        { "the new replica counts 7 s from now", [new(0, Old(0), New(0, age: 5, readyFor: 3)), new(1, Old(1), null)], 7 },
        { "the new replica is late 2 s from now, before it would count", [new(0, Old(0), New(0, age: 58, readyFor: 3)), new(1, Old(1), null)], 2 },
        { "a first version whose replicas all run: the first to count", [new(0, New(0, age: 5, readyFor: 3), null), new(1, New(1, age: 5, readyFor: 6), null)], 4 },
        { "a first version with one replica not Ready yet", [new(0, New(0, age: 5, readyFor: 3), null), new(1, New(1, age: 5), null)], null },
        { "every replica counted: the rollout is done now", [new(0, New(0, age: 20, readyFor: 12), null)], null },
        { "a new replica starts now", [new(0, Old(0), null)], null },
    };

    [Theory]
    [MemberData(nameof(QuietCases))]
    public void The_rollout_says_until_when_nothing_can_move_once_every_new_replica_it_waits_on_is_ready(string because, RolloutSlot[] slots, double? seconds)
    {
        var plan = RolloutPlanner.Compute(Input(slots.Length, slots));

        Assert.True(plan.QuietUntil == (seconds is { } s ? Now.AddSeconds(s) : null), $"{because}: quiet until {plan.QuietUntil:O}");
    }

    public static TheoryData<string, int, RolloutSlot[], string[]> WaitCases => new()
    {
        // because, replicas, slots (minHealthySeconds 10), the tasks the job's frequent look must ask
        { "a new replica running but not Healthy yet: health is not told", 2, [new(0, Old(0), New(0, age: 5) with { Running = true }), new(1, Old(1), null)], ["new-0"] },
        { "a new replica not running yet: it tells its job when it runs", 2, [new(0, Old(0), New(0, age: 5)), new(1, Old(1), null)], [] },
        { "a new replica Ready but not counted yet: it counts by time alone", 2, [new(0, Old(0), New(0, age: 5, readyFor: 3)), new(1, Old(1), null)], [] },
        { "a first version: the replicas running unhealthy", 3, [new(0, New(0, age: 20, readyFor: 12), null), new(1, New(1, age: 5) with { Running = true }, null), new(2, New(2, age: 5), null)], ["new-1"] },
        { "a new replica that ended is its job's to hear of", 1, [new(0, Old(0), New(0, age: 5) with { Running = true, Ended = true })], [] },
        { "a slot above the replicas counts for nothing", 1, [new(0, New(0, age: 20, readyFor: 12), null), new(1, New(1, age: 5) with { Running = true }, null)], [] },
    };

    [Theory]
    [MemberData(nameof(WaitCases))]
    public void The_rollout_names_the_new_replicas_only_asking_tells_of_those_running_but_not_yet_healthy(string because, int replicas, RolloutSlot[] slots, string[] waitsOn)
    {
        var plan = RolloutPlanner.Compute(Input(replicas, slots));

        Assert.True(waitsOn.SequenceEqual(plan.WaitsOn), $"{because}: waits on [{string.Join(", ", plan.WaitsOn)}]");
    }

    [Fact]
    public void An_outdated_replica_that_is_not_ready_is_replaced_in_place_at_once()
    {
        var slots = new[] { new RolloutSlot(0, Old(0) with { Ready = false, ReadySince = null }, null), new RolloutSlot(1, Old(1), null) };

        var plan = RolloutPlanner.Compute(Input(2, slots));

        Assert.Equal(new[] { 0 }, plan.Replace);
        // The replaced slot takes the one replica of maxParallel: the Ready one waits.
        Assert.Empty(plan.StartSurge);
    }

    [Fact]
    public void Replicas_that_still_satisfy_the_new_version_are_kept_and_it_is_healthy_at_once()
    {
        var kept = Enumerable.Range(0, 3).Select(s => new RolloutSlot(s, Old(s) with { Outdated = false }, null));

        var plan = RolloutPlanner.Compute(Input(3, kept));

        Assert.False(plan.ChangesSlots);
        Assert.Equal(RolloutOutcome.Healthy, plan.Outcome);
        Assert.Equal(new RolloutProgress { Version = 2, Status = JobVersionStatus.Current, Replaced = 3, Healthy = 3, Remaining = 0 }, plan.Progress);
    }

    [Fact]
    public void Every_replica_counted_on_the_new_version_makes_the_rollout_healthy()
    {
        var slots = Enumerable.Range(0, 2).Select(s => new RolloutSlot(s, New(s, age: 60, readyFor: 30), null));

        Assert.Equal(RolloutOutcome.Healthy, RolloutPlanner.Compute(Input(2, slots)).Outcome);
        Assert.Equal(RolloutOutcome.None, RolloutPlanner.Compute(Input(2, slots, status: JobVersionStatus.Current)).Outcome);
    }

    [Theory]
    [InlineData(false, RolloutOutcome.Failed)]
    [InlineData(true, RolloutOutcome.Revert)]
    public void A_new_replica_not_healthy_by_the_deadline_fails_the_rollout_stops_it_and_keeps_the_old_ones(bool autoRevert, RolloutOutcome outcome)
    {
        var slots = new[]
        {
            new RolloutSlot(0, New(0, age: 90, readyFor: 80), null),
            new RolloutSlot(1, Old(1), New(1, age: 61, reason: "no node fits: 0/3 nodes available: 3 insufficient memory")),
            new RolloutSlot(2, Old(2), null),
        };

        var plan = RolloutPlanner.Compute(Input(3, slots, new UpdateSpec { MaxParallel = 1, MinHealthySeconds = 10, HealthyDeadlineSeconds = 60, AutoRevert = autoRevert }));

        Assert.Equal(outcome, plan.Outcome);
        Assert.Equal(new[] { new SurgeStop(1, "the rollout of version 2 failed") }, plan.StopSurge);
        Assert.Empty(plan.Promote);
        Assert.Empty(plan.StartSurge);
        Assert.Contains("replica 1 of version 2", plan.Reason, StringComparison.Ordinal);
        Assert.Contains("insufficient memory", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_healthy_version_to_go_back_to_a_failed_rollout_only_stops()
    {
        var slots = new[] { new RolloutSlot(0, Old(0), New(0, age: 61)) };

        var plan = RolloutPlanner.Compute(Input(1, slots, new UpdateSpec { HealthyDeadlineSeconds = 60, AutoRevert = true }, lastHealthy: null));

        Assert.Equal(RolloutOutcome.Failed, plan.Outcome);
    }

    [Theory]
    [InlineData(false, RolloutOutcome.Failed)]
    [InlineData(true, RolloutOutcome.None)]
    public void A_new_replica_that_ends_fails_the_rollout_unless_its_node_was_lost(bool displaced, RolloutOutcome outcome)
    {
        var slots = new[] { new RolloutSlot(0, Old(0), New(0, age: 5, reason: "exited with code 1") with { Ended = true, Displaced = displaced }) };

        var plan = RolloutPlanner.Compute(Input(1, slots));

        Assert.Equal(outcome, plan.Outcome);
        Assert.Equal(0, Assert.Single(plan.StopSurge).Slot);
        Assert.Empty(plan.Promote);
    }

    [Theory]
    [InlineData(true, false, RolloutOutcome.Healthy)]
    [InlineData(false, false, RolloutOutcome.Failed)]
    [InlineData(false, true, RolloutOutcome.Healthy)]
    public void A_replica_of_the_new_version_that_ran_to_completion_is_done_and_one_that_failed_fails_it_unless_the_job_is_batch(bool completed, bool batch, RolloutOutcome outcome)
    {
        var slots = new[] { new RolloutSlot(0, New(0, age: 5, reason: "exited with code 1") with { Ended = true, Completed = completed }, null) };

        var plan = RolloutPlanner.Compute(Input(1, slots) with { Batch = batch });

        Assert.Equal(outcome, plan.Outcome);
        Assert.False(plan.ChangesSlots);
    }

    [Fact]
    public void A_failed_rollout_starts_nothing_more_and_stops_what_did_not_count()
    {
        var slots = new[] { new RolloutSlot(0, Old(0), New(0, age: 5, readyFor: 1)), new RolloutSlot(1, Old(1), null) };

        var plan = RolloutPlanner.Compute(Input(2, slots, status: JobVersionStatus.Failed));

        Assert.Empty(plan.StartSurge);
        Assert.Empty(plan.Promote);
        Assert.Equal(0, Assert.Single(plan.StopSurge).Slot);
        Assert.Equal(RolloutOutcome.None, plan.Outcome);
    }

    [Fact]
    public void After_a_revert_a_new_task_of_the_failed_version_stops_unless_it_is_all_the_slot_has()
    {
        // Version 3 rolls back to version 1's spec: version 2's new tasks are the outdated ones now.
        var failed = New(0, age: 5, readyFor: 1) with { Outdated = true };
        var slots = new[]
        {
            new RolloutSlot(0, Old(0) with { Outdated = false }, failed),
            new RolloutSlot(1, Old(1) with { Outdated = false, Ready = false, ReadySince = null }, failed with { Id = "new-1" }),
        };

        var plan = RolloutPlanner.Compute(Input(2, slots) with { Version = 3 });

        Assert.Equal(0, Assert.Single(plan.StopSurge).Slot);
        Assert.Equal(new[] { 1 }, plan.Promote);
    }

    [Fact]
    public void Scaling_down_or_stopping_stops_the_new_tasks_of_the_slots_that_go()
    {
        var slots = new[] { new RolloutSlot(0, Old(0), null), new RolloutSlot(1, Old(1), New(1, age: 1)) };

        Assert.Equal(new SurgeStop(1, "scaled down to 1"), Assert.Single(RolloutPlanner.Compute(Input(1, slots)).StopSurge));
        Assert.Equal(new SurgeStop(1, "job stopped"), Assert.Single(RolloutPlanner.Compute(Input(0, slots)).StopSurge));
    }

    [Fact]
    public void A_slot_whose_old_task_ended_takes_its_new_task_at_once()
    {
        var slots = new[] { new RolloutSlot(0, Old(0) with { Ended = true, Ready = false }, New(0, age: 1)) };

        var plan = RolloutPlanner.Compute(Input(1, slots));

        Assert.Equal(new[] { 0 }, plan.Promote);
        Assert.Equal(new RolloutProgress { Version = 2, Status = JobVersionStatus.Rolling, Replaced = 1, Healthy = 0, Remaining = 0 }, plan.Progress);
    }
}
