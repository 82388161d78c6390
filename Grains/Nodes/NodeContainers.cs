using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// A node's containers on its engine: created with the labels of its cluster, node and task (their ports published on
/// <c>portHost</c>, <c>Orchestrator:PortHost</c>), found by them, stopped with their job's grace as the ledger keeps
/// it, and removed. A call whose failure is left to the next sweep is logged, not thrown.
/// </summary>
public sealed partial class NodeContainers(IContainerRuntime runtime, string clusterId, string node, string portHost, NodeStore store, ILogger logger)
{
    /// <summary>The stop grace of a container no ledger entry claims (a stray), as a job's default.</summary>
    private static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(SpecLimits.DefaultStopGraceSeconds);

    /// <summary>Creates the task's container for <paramref name="spec"/>, with the files of its secrets; returns its id.</summary>
    public Task<string> CreateAsync(string taskId, string job, JobSpec spec, IReadOnlyList<SecretFile> secrets, CancellationToken cancellationToken) =>
        runtime.CreateAsync(ContainerRequests.Create(clusterId, node, taskId, job, spec, portHost, secrets), cancellationToken);

    /// <summary>Every container of this node.</summary>
    public Task<IReadOnlyList<ContainerDetails>> ListAsync(CancellationToken cancellationToken) =>
        runtime.ListAsync(ContainerRequests.OwnLabels(clusterId, node), cancellationToken);

    /// <summary>The task's containers on this node.</summary>
    public Task<IReadOnlyList<ContainerDetails>> ListAsync(string taskId, CancellationToken cancellationToken) =>
        runtime.ListAsync(ContainerRequests.TaskLabels(clusterId, node, taskId), cancellationToken);

    /// <summary>The engine's events of this node's containers.</summary>
    public IAsyncEnumerable<ContainerEvent> WatchAsync(CancellationToken cancellationToken) =>
        runtime.WatchAsync(ContainerRequests.OwnLabels(clusterId, node), cancellationToken);

    /// <summary>How long a stop of the task's container waits after SIGTERM: its job's <c>stopGraceSeconds</c>, as its ledger entry keeps it.</summary>
    public TimeSpan StopGraceOf(string taskId) =>
        store.State.Ledger.TryGetValue(taskId, out var entry) ? TimeSpan.FromSeconds(entry.StopGraceSeconds) : DefaultStopGrace;

    /// <summary>Stops the task's container, if it has one, and leaves a failure to the next sweep.</summary>
    public Task TryStopAsync(string taskId, string? containerId, CancellationToken cancellationToken = default) =>
        TryAsync(containerId, ct => runtime.StopAsync(containerId!, StopGraceOf(taskId), ct), cancellationToken);

    /// <summary>Removes the container, if there is one, and leaves a failure to the next sweep.</summary>
    public Task TryRemoveAsync(string? containerId, CancellationToken cancellationToken = default) =>
        TryAsync(containerId, ct => runtime.RemoveAsync(containerId!, ct), cancellationToken);

    /// <summary>
    /// An engine call on <paramref name="containerId"/> whose failure is left to the next sweep, which does it again;
    /// false when it failed.
    /// </summary>
    public async Task<bool> TryAsync(string? containerId, Func<CancellationToken, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (containerId is null)
        {
            return true;
        }
        try
        {
            await call(cancellationToken);
            return true;
        }
        catch (ContainerRuntimeException e)
        {
            LogStopFailed(e, containerId, node);
            return false;
        }
    }

    /// <summary>Stops and removes the task's containers on this node.</summary>
    public async Task RemoveAllAsync(string taskId, CancellationToken cancellationToken) =>
        await RemoveAllAsync(await ListAsync(taskId, cancellationToken), cancellationToken);

    /// <summary>Stops and removes <paramref name="containers"/>.</summary>
    public async Task RemoveAllAsync(IEnumerable<ContainerDetails> containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        foreach (var container in containers)
        {
            await runtime.StopAsync(container.Id, container.Labels.TryGetValue(ContainerLabels.Task, out var taskId) ? StopGraceOf(taskId) : DefaultStopGrace, cancellationToken);
            await runtime.RemoveAsync(container.Id, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop or remove container {ContainerId} on {Node}")]
    private partial void LogStopFailed(Exception exception, string containerId, string node);
}
