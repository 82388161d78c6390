using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>
/// One job in a list: what <c>orch stop</c> and <c>orch scale</c> print with <c>--json</c>, the API lists and the
/// orchestrator view shows; a batch job's outcome in <see cref="Batch"/>, a scheduled job's cron expression in <see cref="Schedule"/>.
/// </summary>
public sealed record JobSummary(
    string Job,
    JobStatus Status,
    int Replicas,
    int LiveTasks,
    string Type,
    BatchOutcome? Batch,
    string Image,
    string? Scheduler,
    string? Schedule,
    DateTimeOffset UpdatedAt)
{
    public static JobSummary From(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobSummary(
            job.Name, job.Status, job.Spec.Replicas, job.LiveTaskIds.Count, job.Spec.Type, job.Batch,
            job.Spec.Image, job.Spec.Scheduler, job.Spec.Schedule, job.UpdatedAt);
    }
}
