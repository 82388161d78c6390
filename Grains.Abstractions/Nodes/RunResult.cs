using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// What <see cref="INodeGrain.RunAsync"/> did: started a container (<see cref="Started"/>), or found a container of
/// the task that the caller did not name as the one it replaces and started nothing (<see cref="Found"/>, what the
/// node sees of it): an earlier start that the task's stored state does not record, because its answer or the
/// task's write after it was lost. Never both. <see cref="Found"/> is also how the node says that it created no
/// container because the task's image is not there yet: its status is then <see cref="ContainerStatus.Pulling"/> (the
/// pull runs on in the background, and the node reports when it ends) or <see cref="ContainerStatus.PullFailed"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("run-result")]
public sealed record RunResult(
    [property: Id(0)] StartedContainer? Started,
    [property: Id(1)] ContainerObservation? Found);
