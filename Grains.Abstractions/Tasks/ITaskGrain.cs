using Orchestrator.Abstractions.Access;
using Orchestrator.Abstractions.Jobs;
using Orleans.Concurrency;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>One placement of one replica slot of a job: its state machine, events and placement record.</summary>
[Alias("task")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>
    /// The task, or null when no task has this id. Answers at once, even while the task waits on a node
    /// whose engine hangs, so <c>orch ps</c> never waits for a start.
    /// </summary>
    [Alias("get"), AlwaysInterleave, ClientFacing]
    Task<TaskInfo?> GetAsync();

    /// <summary>Creates the task (Pending) and starts placing it; a repeated call with the same assignment does nothing.</summary>
    [Alias("start")]
    Task<TaskInfo> StartAsync(TaskAssignment assignment);

    /// <summary>Stops the task on purpose: its container is stopped and removed, and it ends Completed.</summary>
    [Alias("stop")]
    Task<TaskInfo> StopAsync(string reason);

    /// <summary>
    /// Called by a node with what it sees of the task's reservation and container (running, exit, loss, health
    /// failure), on every change and again periodically until acknowledged. The task acts on it and answers what
    /// the node should do with the reservation; returning is the acknowledgement.
    /// </summary>
    [Alias("observe")]
    Task<ContainerVerdict> ObserveContainerAsync(string node, ContainerObservation observation);

    /// <summary>Called by the task's node when the health of its container changes (not on every passing check).</summary>
    [Alias("health")]
    Task ReportHealthAsync(string node, TaskHealth health);

    /// <summary>Called when the task's node is declared lost: the task ends Failed, displaced, so its job replaces it elsewhere.</summary>
    [Alias("node-lost")]
    Task NodeLostAsync(string node, string reason);

    /// <summary>Moves the task off its node (drain): its container is removed and it ends Completed, displaced, so its job replaces it.</summary>
    [Alias("displace")]
    Task DisplaceAsync(string reason);

    /// <summary>Tries placement again now (a Pending task also retries on its own timer).</summary>
    [Alias("place")]
    Task PlaceAsync();

    /// <summary>
    /// Deletes an ended task: its kept container and ledger entry on its node, and its stored state, after which
    /// the task no longer exists. Returns false, changing nothing, while the task is not Completed or Failed.
    /// </summary>
    [Alias("forget")]
    Task<bool> ForgetAsync();

    /// <summary>The spec this task runs, used by its node to recreate a container on restart.</summary>
    [Alias("spec")]
    Task<JobSpec?> GetSpecAsync();
}
