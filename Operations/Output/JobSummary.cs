using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>What <c>orch stop</c> and <c>orch scale</c> print with <c>--json</c>, and the API lists; a batch job's outcome in <see cref="Batch"/>.</summary>
public sealed record JobSummary(string Job, JobStatus Status, int Replicas, int LiveTasks, string Type, BatchOutcome? Batch)
{
    public static JobSummary From(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobSummary(job.Name, job.Status, job.Spec.Replicas, job.LiveTaskIds.Count, job.Spec.Type, job.Batch);
    }
}
