using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Client.Commands;

/// <summary>One look at a job while <c>orch run --wait</c> waits for it: the tasks filling its replica slots now.</summary>
internal sealed record WaitSnapshot(JobInfo Job, IReadOnlyList<TaskInfo> LiveTasks, TimeSpan Elapsed)
{
    public int Replicas => Job.Spec.Replicas;

    public int Running => LiveTasks.Count(t => t.State == TaskState.Running);

    /// <summary>A live task that ended Failed: the wait is over, unsuccessfully.</summary>
    public TaskInfo? Failed => LiveTasks.FirstOrDefault(t => t.State == TaskState.Failed);

    /// <summary>A live task whose image could not be pulled: it waits to pull again, but the wait is over, unsuccessfully.</summary>
    public TaskInfo? PullFailed => LiveTasks.FirstOrDefault(t => t.PullFailure is not null);

    /// <summary>Every replica slot is filled by a Running task.</summary>
    public bool AllRunning => LiveTasks.Count == Replicas && Running == Replicas;
}
