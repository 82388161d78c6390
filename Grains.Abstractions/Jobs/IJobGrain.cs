using Orchestrator.Abstractions.Access;
using Orchestrator.Abstractions.Tasks;
using Orleans.Concurrency;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>A job, keyed by its name: the desired spec; it creates tasks and replaces lost ones until actual matches desired.</summary>
[Alias("job")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Stores the spec (replacing an earlier one of the same name) and converges to it. Throws <see cref="JobSpecException"/> for an invalid spec, storing nothing.</summary>
    [Alias("submit"), ClientFacing]
    Task<JobInfo> SubmitAsync(JobSpec spec);

    /// <summary>The job, or null when none has this name. Answers at once, even while the job waits on its tasks.</summary>
    [Alias("get"), AlwaysInterleave, ClientFacing]
    Task<JobInfo?> GetAsync();

    /// <summary>
    /// The job's tasks that <paramref name="query"/> selects, as summaries, newest first; empty when no job has this name.
    /// A live-only query reads no task that gave up its slot. Answers at once, even while the job waits on its tasks.
    /// </summary>
    [Alias("list-tasks"), AlwaysInterleave, ClientFacing]
    Task<IReadOnlyList<TaskSummary>> ListTasksAsync(TaskQuery query);

    /// <summary>Stops every task and removes their containers.</summary>
    [Alias("stop"), ClientFacing]
    Task<JobInfo> StopAsync();

    /// <summary>Sets the replica count; scaling down stops the newest replicas first.</summary>
    [Alias("scale"), ClientFacing]
    Task<JobInfo> ScaleAsync(int replicas);

    /// <summary>
    /// Rolls out the spec of version <paramref name="version"/> (null: the version before the latest) as a new version,
    /// keeping the current replica count. Throws <see cref="JobSpecException"/> naming <c>version</c> when the job keeps no such version.
    /// </summary>
    [Alias("rollback"), ClientFacing]
    Task<JobInfo> RollbackAsync(int? version);

    /// <summary>Compares the tasks with the spec and places, replaces or stops tasks until they match.</summary>
    [Alias("reconcile")]
    Task ReconcileAsync();

    /// <summary>A node was declared lost: the job's tasks on it end displaced and are replaced elsewhere.</summary>
    [Alias("node-lost")]
    Task NodeLostAsync(string node, string reason);

    /// <summary>A task of this job moved (placed on a node, Running, ended); the job reconciles when a slot needs a new task.</summary>
    [Alias("task-changed")]
    Task TaskChangedAsync(TaskInfo task);
}
