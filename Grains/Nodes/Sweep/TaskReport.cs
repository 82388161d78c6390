using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>An observation the node owes a task (it has not acknowledged it yet).</summary>
public sealed record TaskReport(string TaskId, ContainerObservation Observation);
