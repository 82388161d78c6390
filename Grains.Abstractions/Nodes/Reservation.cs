using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// A task's claim on a node's ledger: its resources and fixed host ports, and whether its job wants
/// <c>distinctNodes</c> (then the node refuses it beside another live replica of the job).
/// </summary>
[GenerateSerializer, Immutable, Alias("reservation")]
public sealed record Reservation(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string Job,
    [property: Id(2)] ResourceSpec Resources,
    [property: Id(3)] IReadOnlyList<int> HostPorts,
    [property: Id(4)] bool DistinctNodes = false);
