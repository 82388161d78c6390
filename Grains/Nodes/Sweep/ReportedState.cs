using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>What a task has acknowledged of its container: the node reports again only when this differs.</summary>
public sealed record ReportedState(string? ContainerId, ContainerStatus Status);
