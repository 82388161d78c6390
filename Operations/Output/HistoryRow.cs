using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>
/// One version of a job as <c>orch history NAME --json</c> prints it; <see cref="Status"/> is current, rolling,
/// superseded, failed or reverted.
/// </summary>
public sealed record HistoryRow(int Version, DateTimeOffset SubmittedAt, string Status, string Image, string? Reason)
{
    public static HistoryRow From(JobVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new HistoryRow(version.Number, version.SubmittedAt, version.Status.ToString().ToLowerInvariant(), version.Spec.Image, version.Reason);
    }

    /// <summary>The job's versions, newest first.</summary>
    public static IReadOnlyList<HistoryRow> Of(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return [.. job.Versions.Reverse().Select(From)];
    }
}
