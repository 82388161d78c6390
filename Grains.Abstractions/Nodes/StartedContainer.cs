using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// A container the node started for a task, with the host ports it got; <paramref name="Generation"/> is the
/// node's generation for the task once the start was recorded (see <see cref="ContainerObservation"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("started-container")]
public sealed record StartedContainer(
    [property: Id(0)] string ContainerId,
    [property: Id(1)] IReadOnlyList<PortBinding> Ports,
    [property: Id(2)] long Generation = 0);
