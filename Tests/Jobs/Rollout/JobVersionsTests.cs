using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs.Rollout;

/// <summary>How a job's versions move on when a rollout ends and which version a rollback goes back to, as tables.</summary>
public sealed class JobVersionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static JobSpec Spec(string image, int replicas = 2) => new() { Name = "web", Image = image, Replicas = replicas };

    /// <summary>Versions 1 (healthy once, superseded), 2 (current) and 3 (rolling).</summary>
    private static readonly ImmutableList<JobVersion> Versions =
    [
        new() { Number = 1, Spec = Spec("img:1"), Status = JobVersionStatus.Superseded, HealthyAt = Now.AddDays(-2) },
        new() { Number = 2, Spec = Spec("img:2"), Status = JobVersionStatus.Current, HealthyAt = Now.AddDays(-1) },
        new() { Number = 3, Spec = Spec("img:3", replicas: 4), Status = JobVersionStatus.Rolling },
    ];

    private static RolloutPlan Ended(RolloutOutcome outcome) => new() { Outcome = outcome, Reason = "replica 0 failed", Progress = new RolloutProgress() };

    [Fact]
    public void A_rollout_still_under_way_changes_nothing()
    {
        var (versions, desired) = JobVersions.Conclude(Versions, Ended(RolloutOutcome.None), Versions[2].Spec, Now);

        Assert.Same(Versions, versions);
        Assert.Same(Versions[2].Spec, desired);
    }

    [Fact]
    public void A_version_healthy_on_every_replica_becomes_current_and_the_one_before_is_superseded()
    {
        var (versions, desired) = JobVersions.Conclude(Versions, Ended(RolloutOutcome.Healthy), Versions[2].Spec, Now);

        Assert.Equal([JobVersionStatus.Superseded, JobVersionStatus.Superseded, JobVersionStatus.Current], versions.Select(v => v.Status));
        Assert.Equal(Now, versions[2].HealthyAt);
        Assert.Same(Versions[2].Spec, desired);
    }

    [Fact]
    public void A_failed_rollout_stops_where_it_is_saying_why()
    {
        var (versions, desired) = JobVersions.Conclude(Versions, Ended(RolloutOutcome.Failed), Versions[2].Spec, Now);

        Assert.Equal((JobVersionStatus.Failed, "replica 0 failed"), (versions[2].Status, versions[2].Reason));
        Assert.Equal(3, versions.Count);
        Assert.Same(Versions[2].Spec, desired);
    }

    [Fact]
    public void A_reverted_rollout_goes_back_to_the_last_healthy_spec_as_a_new_version_keeping_the_replicas()
    {
        var (versions, desired) = JobVersions.Conclude(Versions, Ended(RolloutOutcome.Revert), Versions[2].Spec, Now);

        Assert.Equal(Versions[1].Spec with { Replicas = 4 }, desired);
        Assert.Equal([1, 2, 3, 4], versions.Select(v => v.Number));
        Assert.Equal((JobVersionStatus.Reverted, "replica 0 failed"), (versions[2].Status, versions[2].Reason));
        Assert.Equal((JobVersionStatus.Rolling, "rollback to version 2: version 3 failed"), (versions[3].Status, versions[3].Reason));
        Assert.Same(desired, versions[3].Spec);
    }

    public static TheoryData<string, int?, int?, string?> RollbackCases => new()
    {
        // because, version asked for, version rolled back to, refusal
        { "no version given: the one before the latest", null, 2, null },
        { "an earlier version kept", 1, 1, null },
        { "the latest is no rollback", 3, null, "must be an earlier version than the latest, 3" },
        { "a version not kept", 7, null, "must be one of the versions the job keeps: 1, 2, 3 (got 7)" },
    };

    [Theory]
    [MemberData(nameof(RollbackCases))]
    public void A_rollback_goes_to_an_earlier_version_the_job_keeps_or_is_refused_naming_the_version(string because, int? asked, int? target, string? refusal)
    {
        if (target is not null)
        {
            Assert.True(target == JobVersions.RollbackTarget(Versions, asked).Number, because);
            return;
        }
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobVersions.RollbackTarget(Versions, asked)).Errors);
        Assert.Equal(("version", refusal), (error.Field, error.Rule));
    }

    [Fact]
    public void A_job_with_a_single_version_has_nothing_to_roll_back_to()
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobVersions.RollbackTarget([Versions[0]], null)).Errors);

        Assert.Equal("the job has no earlier version to roll back to", error.Rule);
    }

    [Fact]
    public void The_latest_version_is_the_last_and_a_job_from_before_versions_has_version_0()
    {
        Assert.Equal(3, JobVersions.Latest(Versions));
        Assert.Equal(0, JobVersions.Latest([]));
    }
}
