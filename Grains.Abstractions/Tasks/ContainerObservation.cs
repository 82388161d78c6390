namespace Orchestrator.Abstractions.Tasks;

/// <summary>What a node saw of a task's container: running, exited with a code, or gone.</summary>
[GenerateSerializer, Immutable, Alias("container-observation")]
public sealed record ContainerObservation(
    [property: Id(0)] string? ContainerId,
    [property: Id(1)] ContainerStatus Status,
    [property: Id(2)] int? ExitCode,
    [property: Id(3)] string Detail);
