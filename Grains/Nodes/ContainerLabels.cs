namespace Orchestrator.Grains.Nodes;

/// <summary>The labels every container the orchestrator creates carries (docs/CONTRACT.md, Labels).</summary>
public static class ContainerLabels
{
    public const string Cluster = "orch.cluster";
    public const string Node = "orch.node";
    public const string Job = "orch.job";
    public const string Task = "orch.task";
}
