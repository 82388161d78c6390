using Orchestrator.Abstractions.Access;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// One machine: lives only on the silo whose node name is its key, owns that machine's Docker engine
/// and the ledger of what is allocated to which task. The single authority on whether a task fits.
/// </summary>
[Alias("node")]
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Brings the node up: reads the engine's capacity, registers it, re-adopts its containers.</summary>
    [Alias("start")]
    Task StartAsync();

    /// <summary>The node as the cluster sees it.</summary>
    [Alias("info"), ClientFacing]
    Task<NodeInfo> GetInfoAsync();

    /// <summary>Claims resources for a task; refused (never overcommitted) when they no longer fit. Idempotent per task.</summary>
    [Alias("reserve")]
    Task<ReservationResult> ReserveAsync(Reservation reservation);

    /// <summary>
    /// Creates and starts the task's container, replacing <paramref name="replaces"/> (the task's ended container, null
    /// on its first start). Should the task have any other container that was started, the node starts nothing and
    /// answers what it sees of that one: a start is never repeated because its answer was lost.
    /// </summary>
    [Alias("run")]
    Task<RunResult> RunAsync(string taskId, JobSpec spec, string? replaces);

    /// <summary>
    /// What this node sees of the task's reservation and container now, as its reports say it; null while a
    /// start or removal for the task is in flight (ask again later). A task asks when it activates and while
    /// it waits in Scheduled, so it never depends on a report arriving.
    /// </summary>
    [Alias("inspect-task")]
    Task<ContainerObservation?> InspectTaskAsync(string taskId);

    /// <summary>The task ended: stops its container (kept for logs) and frees its resources.</summary>
    [Alias("release")]
    Task ReleaseAsync(string taskId);

    /// <summary>Stops and removes the task's container and frees its resources.</summary>
    [Alias("remove")]
    Task RemoveAsync(string taskId);

    /// <summary>
    /// The output of the task's container on this node (running or ended), stdout and stderr as the
    /// engine interleaves them; with <paramref name="follow"/>, until the container stops or the caller
    /// cancels. Throws <see cref="KeyNotFoundException"/> when this node has no container for the task.
    /// </summary>
    [Alias("logs"), ClientFacing]
    IAsyncEnumerable<LogChunk> LogsAsync(string taskId, bool follow, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops new placement and moves the node's tasks off the way a rollout does: each job starts a replacement
    /// elsewhere and stops the drained replica once the replacement counts. Tasks still here after
    /// <paramref name="deadline"/> (no room elsewhere, or a replacement that never got healthy) are stopped then;
    /// a zero deadline stops them at once.
    /// </summary>
    [Alias("drain"), ClientFacing]
    Task DrainAsync(TimeSpan deadline);

    /// <summary>How long a drain lets its jobs move their replicas before it stops the rest, as Nomad's drain does.</summary>
    static TimeSpan DefaultDrainDeadline => TimeSpan.FromHours(1);

    /// <summary>Allows placement again.</summary>
    [Alias("uncordon"), ClientFacing]
    Task UncordonAsync();
}
