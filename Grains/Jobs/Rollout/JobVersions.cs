using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>The version history of a job (oldest first, the latest version last) and how each change moves it on.</summary>
public static class JobVersions
{
    /// <summary>Versions a job keeps; older ones are forgotten.</summary>
    public const int Kept = 10;

    /// <summary>
    /// The history after <paramref name="spec"/> was accepted: a new Rolling version, unless it differs from the latest
    /// only in its replica count (a scale, which the latest version takes on).
    /// </summary>
    public static ImmutableList<JobVersion> Submit(ImmutableList<JobVersion> versions, JobSpec spec, DateTimeOffset now, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(spec);
        if (versions.LastOrDefault() is { } latest && JobSpecComparer.SameVersion(latest.Spec, spec))
        {
            return versions.SetItem(versions.Count - 1, latest with { Spec = spec });
        }
        var superseded = versions.Select(v => v.Status == JobVersionStatus.Rolling ? v with { Status = JobVersionStatus.Superseded } : v);
        var added = new JobVersion { Number = (versions.LastOrDefault()?.Number ?? 0) + 1, Spec = spec, SubmittedAt = now, Status = JobVersionStatus.Rolling, Reason = reason };
        return Trim(superseded.Append(added).ToImmutableList());
    }

    /// <summary>The latest version counted on every replica: it is current, and whatever was current before is superseded.</summary>
    public static ImmutableList<JobVersion> MarkHealthy(ImmutableList<JobVersion> versions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var latest = versions[^1];
        return versions
            .Select(v => v.Status == JobVersionStatus.Current ? v with { Status = JobVersionStatus.Superseded } : v)
            .ToImmutableList()
            .SetItem(versions.Count - 1, latest with { Status = JobVersionStatus.Current, HealthyAt = latest.HealthyAt ?? now });
    }

    /// <summary>The latest version's rollout failed (<see cref="JobVersionStatus.Failed"/>) or was rolled back (<see cref="JobVersionStatus.Reverted"/>).</summary>
    public static ImmutableList<JobVersion> MarkFailed(ImmutableList<JobVersion> versions, JobVersionStatus status, string reason)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.SetItem(versions.Count - 1, versions[^1] with { Status = status, Reason = reason });
    }

    /// <summary>The latest version before the last one that counted on every replica once: what a failed rollout goes back to.</summary>
    public static JobVersion? LastHealthy(IReadOnlyList<JobVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Take(versions.Count - 1).LastOrDefault(v => v.HealthyAt is not null);
    }

    /// <summary>
    /// The version a rollback goes back to: <paramref name="version"/>, or the one before the latest when null. Throws
    /// <see cref="JobSpecException"/> naming <c>version</c> when the job keeps no such earlier version.
    /// </summary>
    public static JobVersion RollbackTarget(ImmutableList<JobVersion> versions, int? version)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var wanted = version ?? (versions.Count >= 2 ? versions[^2].Number : null);
        return versions.FirstOrDefault(v => v.Number == wanted && v.Number != Latest(versions))
            ?? throw new JobSpecException(new[] { new SpecError("version", RollbackRefusal(versions, version)) });
    }

    /// <summary>The latest version's number: the one rolled out; 0 for a job submitted before versions were kept.</summary>
    public static int Latest(IReadOnlyList<JobVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Count == 0 ? 0 : versions[^1].Number;
    }

    /// <summary>
    /// The versions after a rollout pass's outcome, and the spec the job wants now: a failed version with autoRevert is
    /// followed by a new version with the spec of the last healthy one, rolled out the same way.
    /// </summary>
    public static (ImmutableList<JobVersion> Versions, JobSpec Desired) Conclude(ImmutableList<JobVersion> versions, RolloutPlan rollout, JobSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(spec);
        switch (rollout.Outcome)
        {
            case RolloutOutcome.Healthy:
                return (MarkHealthy(versions, now), spec);
            case RolloutOutcome.Failed:
                return (MarkFailed(versions, JobVersionStatus.Failed, rollout.Reason!), spec);
            case RolloutOutcome.Revert:
                var target = LastHealthy(versions)!;
                var desired = target.Spec with { Replicas = spec.Replicas };
                var failed = MarkFailed(versions, JobVersionStatus.Reverted, rollout.Reason!);
                return (Submit(failed, desired, now, $"rollback to version {target.Number}: version {Latest(versions)} failed"), desired);
            default:
                return (versions, spec);
        }
    }

    private static string RollbackRefusal(ImmutableList<JobVersion> versions, int? version) => version switch
    {
        null => "the job has no earlier version to roll back to",
        _ when versions.Count > 0 && version == versions[^1].Number => $"must be an earlier version than the latest, {version}",
        _ => $"must be one of the versions the job keeps: {string.Join(", ", versions.Select(v => v.Number))} (got {version})",
    };

    private static ImmutableList<JobVersion> Trim(ImmutableList<JobVersion> versions) =>
        versions.Count <= Kept ? versions : versions.RemoveRange(0, versions.Count - Kept);
}
