using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Silo.Dashboard;

/// <summary>One node as the view shows it: status, capacity, allocation and the machine's measured figures.</summary>
internal sealed record NodeView(
    string Name,
    string Status,
    string? StatusReason,
    double Cpus,
    long MemoryMb,
    double AllocatedCpu,
    long AllocatedMemoryMb,
    int Tasks,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset LastHeartbeat,
    NodeStats Stats)
{
    public static NodeView From(NodeInfo node) => new(
        node.Name, node.Status.ToString(), node.StatusReason, node.Cpus, node.MemoryMb, node.AllocatedCpu,
        node.AllocatedMemoryMb, node.Tasks, node.Labels, node.LastHeartbeat, node.Stats);
}
