namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// What a node saw of a task's container: running, exited with a code, gone, or no reservation at all.
/// <paramref name="Generation"/> orders it against the node's other answers about the task (a start's result
/// included): a task ignores an observation older than the newest it has acted on, so a report that was on its
/// way while a new container started cannot end that container's task.
/// </summary>
[GenerateSerializer, Immutable, Alias("container-observation")]
public sealed record ContainerObservation(
    [property: Id(0)] string? ContainerId,
    [property: Id(1)] ContainerStatus Status,
    [property: Id(2)] int? ExitCode,
    [property: Id(3)] string Detail,
    [property: Id(4)] long Generation = 0);
