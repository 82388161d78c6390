namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>The cluster as the user sees it (tasks, nodes) and as the engines see it (containers), read together.</summary>
public sealed record ClusterSnapshot(IReadOnlyList<TaskView> Tasks, IReadOnlyList<ContainerView> Containers, IReadOnlyList<NodeView> Nodes);
