using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>
/// <c>orch inspect JOB --json</c>: the job as the cluster keeps it, with its tasks as ps rows, its latest version and
/// where that version's rollout stands; a batch job's outcome; a scheduled job's runs.
/// </summary>
public sealed record JobDocument(
    string Name,
    JobStatus Status,
    JobSpec Spec,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> TaskIds,
    IReadOnlyList<string> LiveTaskIds,
    IReadOnlyList<TaskRow> Tasks,
    int Version,
    RolloutProgress? Rollout,
    BatchOutcome? Batch,
    ScheduleProgress? Schedule)
{
    public static JobDocument From(JobInfo job, IEnumerable<TaskRow> tasks)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobDocument(job.Name, job.Status, job.Spec, job.UpdatedAt, job.TaskIds, job.LiveTaskIds, [.. tasks], job.Version, job.Rollout, job.Batch, job.Schedule);
    }
}
