using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// The one door to a machine's container engine. Only the node grain uses it; the Docker engine is
/// <c>DockerContainerRuntime</c>, and <see cref="SimulatedContainerRuntime"/> starts nothing
/// (grain tests, the scale benchmark).
/// </summary>
public interface IContainerRuntime
{
    /// <summary>The engine's CPUs, memory and identity.</summary>
    Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken);

    /// <summary>Every container, running or not, carrying all of <paramref name="labels"/>.</summary>
    Task<IReadOnlyList<ContainerDetails>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Whether the engine has <paramref name="image"/> (a reference such as <c>name:tag</c>).</summary>
    Task<bool> HasImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>
    /// Pulls <paramref name="image"/> from its registry, with the registry's credentials when the runtime has any,
    /// under <paramref name="timeout"/> rather than the usual call timeout. Throws <see cref="ContainerRuntimeException"/>
    /// (<see cref="ContainerRuntimeFailure.ImagePullFailed"/>, with the engine's reason) when the pull fails.
    /// </summary>
    Task PullImageAsync(string image, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a container (not started) and returns its id. The request's secret files are in place, read-only at
    /// <see cref="SecretMounts.ContainerPath"/>, when it starts, and kept in memory only.
    /// </summary>
    Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Starts a created container.</summary>
    Task StartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The container, or null when the engine has no such container.</summary>
    Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Stops a container, killing it after <paramref name="grace"/>; a missing or stopped container is fine.</summary>
    Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Removes a container, running or not; a missing container is fine.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// The engine's <c>die</c> events of containers carrying all of <paramref name="labels"/>, as they
    /// happen, until cancelled. Ends or throws when the engine drops the stream (an engine restart);
    /// the caller subscribes again, and catches what it missed by listing.
    /// </summary>
    IAsyncEnumerable<ContainerEvent> WatchAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>
    /// The container's output from its start; with <paramref name="follow"/>, then what it writes until
    /// it stops. Throws <see cref="ContainerRuntimeException"/> (<see cref="ContainerRuntimeFailure.ContainerNotFound"/>)
    /// for a missing container.
    /// </summary>
    IAsyncEnumerable<LogChunk> ReadLogsAsync(string containerId, bool follow, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the secret files of every container of <paramref name="node"/> whose name <paramref name="keep"/> refuses
    /// (those of containers that stopped, went or never started). Decides and deletes without yielding, so a caller on a
    /// grain's turn sees no start interleave with it.
    /// </summary>
    Task DropSecretsAsync(string node, Func<string, bool> keep, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> inside the running container and waits for it to end (the caller bounds the wait).</summary>
    Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken);
}
