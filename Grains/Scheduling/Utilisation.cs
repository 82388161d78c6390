using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// Allocated share of a node's capacity, before and after one more replica. A node without capacity
/// counts as full, so no scorer divides by zero.
/// </summary>
public static class Utilisation
{
    public static double Of(double allocated, double capacity) => capacity > 0 ? allocated / capacity : 1;

    public static double CpuBefore(NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Of(node.AllocatedCpu, node.Cpus);
    }

    public static double CpuAfter(NodeInfo node, ResourceSpec request)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(request);
        return Of(node.AllocatedCpu + request.Cpu, node.Cpus);
    }

    public static double MemoryBefore(NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Of(node.AllocatedMemoryMb, node.MemoryMb);
    }

    public static double MemoryAfter(NodeInfo node, ResourceSpec request)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(request);
        return Of(node.AllocatedMemoryMb + request.MemoryMb, node.MemoryMb);
    }
}
