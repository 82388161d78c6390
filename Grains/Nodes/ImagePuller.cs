using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// The image pulls a node's starts wait for (<see cref="ImagePulls"/>). A pull runs in the background under its own
/// timeout, not a start's deadline, one per image however many tasks wait for it; when it ends each waiting task is
/// told how it went (<c>ended</c>), and then asks for its start again (or, after a failure, after its backoff).
/// </summary>
public sealed partial class ImagePuller(
    IContainerRuntime runtime,
    string node,
    TimeSpan timeout,
    EngineGuard engine,
    OrchestratorMetrics metrics,
    Action<string, ImagePull> ended,
    ILogger logger,
    CancellationToken stopping)
{
    private readonly ImagePulls _pulls = new();

    /// <summary>Task → where its pull stands.</summary>
    public IReadOnlyDictionary<string, ImagePull> ByTask => _pulls.ByTask;

    /// <summary>Where the task's pull stands; null when it waits for none.</summary>
    public ImagePull? Of(string taskId) => _pulls.Of(taskId);

    /// <summary>The task's container is being created (or it is gone): its pull is history.</summary>
    public void Forget(string taskId) => _pulls.Forget(taskId);

    /// <summary>
    /// Whether the task's start must wait for its image, by the job's pull policy: null when the container can be
    /// created now; otherwise where the pull stands.
    /// </summary>
    public async Task<ImagePull?> AwaitAsync(string taskId, JobSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pull = _pulls.Of(taskId);
        if (spec.ImagePull == ImagePullPolicies.Never || pull is { Status: ContainerStatus.Pulled } && pull.Image == spec.Image)
        {
            _pulls.Forget(taskId);
            return null;
        }
        if (pull is { Status: ContainerStatus.Pulling } && pull.Image == spec.Image)
        {
            return pull;
        }
        if (spec.ImagePull == ImagePullPolicies.Missing && await runtime.HasImageAsync(spec.Image, cancellationToken))
        {
            _pulls.Forget(taskId);
            return null;
        }
        if (_pulls.Wait(taskId, spec.Image))
        {
            LogPulling(spec.Image, node);
            PullAsync(spec.Image).Ignore();
        }
        return _pulls.Of(taskId);
    }

    /// <summary>Pulls the image and tells every task that waits for it how the pull went.</summary>
    private async Task PullAsync(string image)
    {
        // After the answer of the start that began it, so that answer's generation is older than the pull's outcome
        // even when the pull fails at once: the task would take the outcome, arriving later, for stale.
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        string? failure = null;
        try
        {
            await runtime.PullImageAsync(image, timeout, stopping);
            LogPulled(image, node, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (ContainerRuntimeException e)
        {
            failure = e.Message;
            LogPullFailed(image, node, e.Message);
            if (EngineStatus.IsEngineFault(e))
            {
                engine.Failed(e);
            }
        }
        metrics.ImagePulled(failure is null);
        foreach (var taskId in _pulls.Ended(image, failure, clock.Elapsed))
        {
            if (_pulls.Of(taskId) is { } pull)
            {
                ended(taskId, pull);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling image {Image} on {Node}")]
    private partial void LogPulling(string image, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled image {Image} on {Node} in {Seconds:0.0} s")]
    private partial void LogPulled(string image, string node, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pull image {Image} on {Node}: {Reason}")]
    private partial void LogPullFailed(string image, string node, string reason);
}
