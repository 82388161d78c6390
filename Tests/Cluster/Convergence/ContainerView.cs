namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>One container of the cluster on one engine, with the task and node its labels name.</summary>
public sealed record ContainerView(string Engine, string Id, string TaskId, string NodeLabel, bool Running);
