using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Operations.Output;

/// <summary>One node as <c>orch nodes --json</c> prints it (docs/CONTRACT.md, Output shapes), with its stats.</summary>
public sealed record NodeRow(
    string Name,
    NodeStatus Status,
    double Cpus,
    long MemoryMb,
    double AllocatedCpu,
    long AllocatedMemoryMb,
    int Tasks,
    IReadOnlyDictionary<string, string> Labels,
    string? StatusReason,
    DateTimeOffset LastHeartbeat,
    NodeStats Stats)
{
    public static NodeRow From(NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new NodeRow(
            node.Name,
            node.Status,
            node.Cpus,
            node.MemoryMb,
            node.AllocatedCpu,
            node.AllocatedMemoryMb,
            node.Tasks,
            node.Labels,
            node.StatusReason,
            node.LastHeartbeat,
            node.Stats);
    }
}
