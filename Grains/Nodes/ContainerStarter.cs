using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Sweep;
using Orchestrator.Grains.Secrets;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Starts a task's container on the node's engine, one start per task at a time and all of it within
/// <see cref="StartDeadline"/>: answers with the container of an earlier start rather than start another, waits for
/// the image as the job's pull policy says, clears what earlier starts left, opens the task's secrets, creates and
/// starts the container and records it in the ledger. A start the engine could not even try gives up the task's
/// reservation (<c>forget</c>), so the task goes elsewhere; a start that failed leaves nothing running.
/// </summary>
public sealed partial class ContainerStarter(
    IContainerRuntime runtime,
    string node,
    SecretVault vault,
    IGrainFactory grains,
    NodeStore store,
    NodeContainers containers,
    TaskChanges changes,
    ImagePuller pulls,
    ContainerWatcher watch,
    EngineGuard engine,
    Func<string, Task> forget,
    ILogger logger)
{
    /// <summary>
    /// How long one start may take in all. Below Orleans' 30 s response timeout, so the node, not its caller,
    /// decides what a start that hangs means, and cleans up after it.
    /// </summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(25);

    /// <summary>Starts <paramref name="spec"/> for the task that holds <paramref name="entry"/>, unless <paramref name="replaces"/> is the container of an earlier start.</summary>
    public async Task<RunResult> StartAsync(string taskId, LedgerEntry entry, JobSpec spec, string? replaces)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(spec);
        if (!changes.TryStart(taskId))
        {
            throw new InvalidOperationException($"task {taskId} is already starting on node {node}");
        }
        using var deadline = new CancellationTokenSource(StartDeadline);
        string? created = null;
        try
        {
            var found = await containers.ListAsync(taskId, deadline.Token);
            var earlier = found.Where(c => c.Id != replaces && !NodeSweep.IsNeverStarted(c)).ToList();
            if (earlier.Count > 0)
            {
                var kept = NodeSweep.Keep(entry, earlier)!;
                LogEarlierStart(taskId, kept.Id, node);
                return new RunResult(null, NodeSweep.Observe(entry, kept, watch.Unhealthy.GetValueOrDefault(taskId), changes.Touch(taskId)));
            }
            if (await pulls.AwaitAsync(taskId, spec, deadline.Token) is { } waiting)
            {
                return new RunResult(null, waiting.Observe(changes.Touch(taskId)));
            }
            watch.Health.Unwatch(taskId);
            watch.ForgetVerdict(taskId);
            await containers.RemoveAllAsync(found, deadline.Token);
            var secrets = await NodeSecrets.OpenAsync(grains, vault, spec, node);
            created = await containers.CreateAsync(taskId, entry.Job, spec, secrets, deadline.Token);
            await runtime.StartAsync(created, deadline.Token);
            var details = await runtime.InspectAsync(created, deadline.Token);
            var id = created;
            await store.ChangeLedgerAsync(ledger => ledger.TryGetValue(taskId, out var current)
                ? ledger.SetItem(taskId, current with { ContainerId = id, Health = spec.Health, StopGraceSeconds = spec.StopGraceSeconds })
                : ledger);
            LogStarted(taskId, id, node);
            if (spec.Health is { } health && details is { Running: true })
            {
                watch.Health.Watch(taskId, id, health, details.Ports);
            }
            var ports = (details?.Ports ?? []).Select(p => new PortBinding(p.Container, p.Host)).ToArray();
            return new RunResult(new StartedContainer(id, ports, changes.Touch(taskId)), null);
        }
        catch (Exception e) when (EngineFaultOf(e, deadline.Token) is { } fault)
        {
            engine.Failed(fault);
            // The task goes elsewhere; whatever the engine still makes of this start once it answers carries no
            // claim any more, so the first sweep that reaches the engine removes it.
            await forget(taskId);
            throw new EngineUnavailableException($"the engine of node {node} did not start the container: {fault.Message}");
        }
        catch (ContainerRuntimeException e)
        {
            await containers.TryRemoveAsync(created);
            throw new ContainerEngineException(e.Failure == ContainerRuntimeFailure.ImageNotFound && spec.ImagePull == ImagePullPolicies.Never
                ? $"{e.Message} (imagePull is never: the node does not pull it)"
                : e.Message);
        }
        catch (Exception)
        {
            // Nothing of a failed start may run on without the task knowing it runs.
            await containers.TryRemoveAsync(created);
            throw;
        }
        finally
        {
            changes.EndStart(taskId);
            // After this answer: the task is busy until it has it.
            watch.StartEnded(taskId);
        }
    }

    private static ContainerRuntimeException? EngineFaultOf(Exception e, CancellationToken deadline) => e switch
    {
        ContainerRuntimeException failure when EngineStatus.IsEngineFault(failure) => failure,
        OperationCanceledException when deadline.IsCancellationRequested => new ContainerRuntimeException(
            ContainerRuntimeFailure.Timeout, $"the engine did not start it within {StartDeadline.TotalSeconds:0} s", e),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: container {ContainerId} started on {Node}")]
    private partial void LogStarted(string taskId, string containerId, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} asked for a start, and already has container {ContainerId} on {Node}: answered that one, started nothing")]
    private partial void LogEarlierStart(string taskId, string containerId, string node);
}
