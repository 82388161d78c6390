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

    private static ImmutableList<JobVersion> Trim(ImmutableList<JobVersion> versions) =>
        versions.Count <= Kept ? versions : versions.RemoveRange(0, versions.Count - Kept);
}
