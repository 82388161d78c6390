using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Resources;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// One more replica's cpu and memory must fit beside what the node has allocated (<see cref="ResourceFit"/>, the
/// node's own arithmetic). Every shortfall is kept with its numbers; the reason is the first of them (cpu before memory).
/// </summary>
public sealed class ResourceFitFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        var shortfalls = ResourceFit.Shortfalls(context.Spec.Resources, node.Cpus, node.MemoryMb, node.AllocatedCpu, node.AllocatedMemoryMb);
        if (shortfalls.Count == 0)
        {
            return FilterResult.Pass;
        }
        return new FilterResult
        {
            Reason = ResourceFit.ReasonOf(shortfalls),
            Detail = ResourceFit.Describe(shortfalls),
            Shortfalls = shortfalls,
        };
    }
}
