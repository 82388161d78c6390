using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Images;

/// <summary>
/// Where a task's image pull stands on its node: <see cref="ContainerStatus.Pulling"/>, <see cref="ContainerStatus.Pulled"/>
/// or <see cref="ContainerStatus.PullFailed"/>, with the words the task shows (the failure: the engine's reason).
/// </summary>
public sealed record ImagePull(string Image, ContainerStatus Status, string Detail)
{
    /// <summary>What the node reports of a task that has no container while its image pull stands so.</summary>
    public ContainerObservation Observe(long generation) => new(null, Status, null, Detail, generation);
}
