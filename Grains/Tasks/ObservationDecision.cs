using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Tasks;

/// <summary>A task's answer to a report (what the node should do) and what the task itself does.</summary>
public sealed record ObservationDecision(ContainerVerdict Verdict, ObservationAction Action);
