using Microsoft.Extensions.Logging;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Sweep;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// A node's sweep: lists its containers, reconciles them with the ledger (<see cref="NodeSweep"/>, which decides)
/// and applies the plan, skipping every task that changed since the list was taken; then deletes the secrets of
/// stopped containers and tells the node directory the node's figures.
/// </summary>
public sealed partial class NodeSweeper(
    IContainerRuntime runtime,
    string clusterId,
    string node,
    NodeStore store,
    NodeContainers containers,
    TaskChanges changes,
    TaskReporter reports,
    ContainerWatcher watch,
    ImagePuller pulls,
    EngineGuard engine,
    DirectoryReporter directory,
    ILogger logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var listedAt = changes.Mark();
        IReadOnlyList<ContainerDetails> listed;
        try
        {
            listed = await containers.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e, node);
            if (e is ContainerRuntimeException failure && EngineStatus.IsEngineFault(failure))
            {
                engine.Failed(failure);
            }
            return;
        }
        engine.Answered();
        var now = DateTimeOffset.UtcNow;
        var plan = NodeSweep.Compute(new SweepInput
        {
            Containers = listed,
            Ledger = store.State.Ledger,
            Busy = changes.ChangedSince(listedAt),
            Acknowledged = reports.Book.Standing(now),
            Unhealthy = watch.Unhealthy,
            Watching = watch.Health.WatchedContainers(),
            Pulls = pulls.ByTask,
            DrainDeadlinePassed = store.State.Draining && !(store.State.DrainDeadline > now),
            Generation = listedAt,
        });
        await ApplyAsync(plan, listedAt, cancellationToken);
        await DropSecretsAsync(listed, listedAt, cancellationToken);
        foreach (var gone in changes.Prune(listedAt, t => !reports.Book.IsSending(t) && !store.State.Ledger.ContainsKey(t)))
        {
            reports.Book.Forget(gone);
            watch.ForgetVerdict(gone);
        }
        await directory.ReportAsync();
    }

    /// <summary>
    /// Deletes the secrets of every container that was not running when the sweep listed them, unless its task changed
    /// since: a start in flight, or one that ended after the list, has secrets a newer container may be reading.
    /// </summary>
    private async Task DropSecretsAsync(IReadOnlyList<ContainerDetails> listed, long listedAt, CancellationToken cancellationToken)
    {
        var running = listed.Where(c => c.Running).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var prefix = ContainerRequests.ContainerName(clusterId, "");
        try
        {
            await runtime.DropSecretsAsync(node, name => running.Contains(name)
                || (name.StartsWith(prefix, StringComparison.Ordinal) && changes.ChangedSince(name[prefix.Length..], listedAt)), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSecretsDropFailed(e, node);
        }
    }

    private async Task ApplyAsync(SweepPlan plan, long listedAt, CancellationToken cancellationToken)
    {
        foreach (var (taskId, containerId) in plan.Remove.Where(r => !changes.ChangedSince(r.TaskId, listedAt)))
        {
            LogRemovingStray(containerId, taskId, node);
            await containers.TryRemoveAsync(containerId, cancellationToken);
        }
        foreach (var (taskId, containerId) in plan.Stop.Where(s => !changes.ChangedSince(s.TaskId, listedAt)))
        {
            await containers.TryStopAsync(taskId, containerId, cancellationToken);
        }
        var record = plan.Record.Where(r => !changes.ChangedSince(r.TaskId, listedAt)).ToList();
        var forget = plan.Forget.Where(t => !changes.ChangedSince(t, listedAt)).ToList();
        if (record.Count > 0 || forget.Count > 0)
        {
            await store.ChangeLedgerAsync(ledger => record
                .Where(r => ledger.ContainsKey(r.TaskId))
                .Aggregate(ledger.RemoveRange(forget), (l, r) => l.SetItem(r.TaskId, l[r.TaskId] with { ContainerId = r.ContainerId })));
        }
        foreach (var taskId in plan.Unwatch)
        {
            watch.Health.Unwatch(taskId);
        }
        foreach (var w in plan.Watch.Where(w => !changes.ChangedSince(w.TaskId, listedAt)))
        {
            watch.Health.Watch(w.TaskId, w.ContainerId, w.Health, w.Ports);
        }
        foreach (var report in plan.Reports)
        {
            reports.Report(report.TaskId, report.Observation);
        }
        foreach (var taskId in plan.Displace)
        {
            reports.Displace(taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not list its containers")]
    private partial void LogSweepFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing container {ContainerId} of task {TaskId} on {Node}: no live entry of this node claims it")]
    private partial void LogRemovingStray(string containerId, string taskId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not delete the secrets of stopped containers; the next sweep tries again")]
    private partial void LogSecretsDropFailed(Exception exception, string node);
}
