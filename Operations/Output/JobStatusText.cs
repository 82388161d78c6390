using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Operations.Output;

/// <summary>A job's status in one word, as <c>orch inspect</c> shows it (the view derives the same from the job's row).</summary>
public static class JobStatusText
{
    /// <summary>
    /// <c>Stopped</c>; for a scheduled job that is not, <c>Scheduled</c>; for a batch job that is not, its outcome
    /// (<c>Running</c>, <c>Succeeded</c>, <c>Failed</c>); else <c>Active</c>.
    /// </summary>
    public static string Of(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job switch
        {
            { Status: JobStatus.Active, Spec.IsScheduled: true } => "Scheduled",
            { Status: JobStatus.Active, Batch: { } batch } => batch.Status.ToString(),
            _ => job.Status.ToString(),
        };
    }
}
