using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Client.Commands;

/// <summary>
/// One look at a job while <c>orch run --wait</c> waits for it: the tasks filling its replica slots now, and, when the
/// submission rolls a new version over running replicas, that version. A batch job is waited for until its outcome
/// (<see cref="JobInfo.Batch"/>) is Succeeded or Failed: a task of it that fails may be tried again on another node.
/// </summary>
internal sealed record WaitSnapshot(JobInfo Job, IReadOnlyList<TaskInfo> LiveTasks, TimeSpan Elapsed, int? RolloutVersion = null)
{
    public int Replicas => Job.Spec.Replicas;

    public int Running => LiveTasks.Count(t => t.State == TaskState.Running);

    /// <summary>A live task that ended Failed: the wait is over, unsuccessfully (not during a rollout, which decides that itself).</summary>
    public TaskInfo? Failed => RolloutVersion is null && !IsBatch ? LiveTasks.FirstOrDefault(t => t.State == TaskState.Failed) : null;

    public bool IsBatch => Job.Spec.IsBatch;

    public int Completed => Job.Batch?.Completed ?? 0;

    /// <summary>Why a batch job failed: a replica ended Failed with no reschedule left.</summary>
    public string? BatchFailure => Job.Batch is { Status: BatchStatus.Failed } batch ? $"task {batch.FailedTask} failed: {batch.Reason}" : null;

    /// <summary>A live task whose image could not be pulled: it waits to pull again, but the wait is over, unsuccessfully.</summary>
    public TaskInfo? PullFailed => LiveTasks.FirstOrDefault(t => t.PullFailure is not null);

    /// <summary>Every replica slot is filled by a Running task; during a rollout, the version rolled out is current; a batch job succeeded.</summary>
    public bool AllRunning => IsBatch
        ? Job.Batch?.Status == BatchStatus.Succeeded
        : RolloutVersion is null
            ? LiveTasks.Count == Replicas && Running == Replicas
            : Version?.Status == JobVersionStatus.Current;

    /// <summary>The version being rolled out, as the job keeps it.</summary>
    public JobVersion? Version => Job.Versions.FirstOrDefault(v => v.Number == RolloutVersion);

    /// <summary>How far the rollout is, when the job reports it for this version.</summary>
    public RolloutProgress? Rollout => Job.Rollout is { } progress && progress.Version == RolloutVersion ? progress : null;

    /// <summary>Why the rollout is over without success: it failed, was rolled back, or a later version replaced it.</summary>
    public string? RolloutFailure => Version switch
    {
        null when RolloutVersion is not null => $"version {RolloutVersion} is no longer kept by the job",
        { Status: JobVersionStatus.Failed or JobVersionStatus.Reverted } v => $"version {v.Number} {v.Status.ToString().ToLowerInvariant()}: {v.Reason}",
        { Status: JobVersionStatus.Superseded } v => $"version {v.Number} was superseded by version {Job.Version} before it was fully healthy",
        _ => null,
    };
}
