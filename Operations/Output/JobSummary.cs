using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>What <c>orch stop</c> and <c>orch scale</c> print with <c>--json</c>.</summary>
public sealed record JobSummary(string Job, JobStatus Status, int Replicas, int LiveTasks)
{
    public static JobSummary From(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobSummary(job.Name, job.Status, job.Spec.Replicas, job.LiveTaskIds.Count);
    }
}
