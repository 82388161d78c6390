using Orchestrator.Abstractions.Jobs;
using System.Globalization;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// One more replica's cpu and memory must fit beside what the node has allocated. Every shortfall is
/// kept with its numbers; the reason is the first of them (cpu before memory).
/// </summary>
public sealed class ResourceFitFilter : IPlacementFilter
{
    /// <summary>
    /// Slack for cpu sums: allocations are sums of decimal fractions (0.1 + 0.2 ≠ 0.3 in binary), and a
    /// replica that fills a node exactly must still fit.
    /// </summary>
    public const double CpuEpsilon = 1e-9;

    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        var shortfalls = Shortfalls(context.Spec.Resources, node.FreeCpu, node.FreeMemoryMb, node.Cpus, node.MemoryMb);
        if (shortfalls.Count == 0)
        {
            return FilterResult.Pass;
        }
        return new FilterResult
        {
            Reason = shortfalls[0].Resource == "cpu" ? FilterReasons.InsufficientCpu : FilterReasons.InsufficientMemory,
            Detail = Describe(shortfalls),
            Shortfalls = shortfalls,
        };
    }

    /// <summary>
    /// What <paramref name="request"/> lacks beside the free resources; empty when it fits. The node's
    /// ledger uses the same arithmetic, so the scheduler's advice and the node's verdict agree.
    /// </summary>
    public static IReadOnlyList<ResourceShortfall> Shortfalls(ResourceSpec request, double freeCpu, long freeMemoryMb, double cpus, long memoryMb)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shortfalls = new List<ResourceShortfall>(2);
        if (request.Cpu > freeCpu + CpuEpsilon)
        {
            shortfalls.Add(new ResourceShortfall("cpu", request.Cpu, freeCpu, cpus));
        }
        if (request.MemoryMb > freeMemoryMb)
        {
            shortfalls.Add(new ResourceShortfall("memory", request.MemoryMb, freeMemoryMb, memoryMb));
        }
        return shortfalls;
    }

    /// <summary>The shortfalls as one line: <c>insufficient cpu: need 1.5, free 0.5</c>.</summary>
    public static string Describe(IEnumerable<ResourceShortfall> shortfalls) => string.Join("; ", shortfalls.Select(Describe));

    private static string Describe(ResourceShortfall s) => s.Resource == "cpu"
        ? $"{FilterReasons.InsufficientCpu}: need {Cores(s.Requested)}, free {Cores(Math.Max(0, s.Free))}"
        : $"{FilterReasons.InsufficientMemory}: need {Megabytes(s.Requested)} MB, free {Megabytes(Math.Max(0, s.Free))} MB";

    // Three decimals hide binary noise (0.49999999999 shows as 0.5) without hiding the 0.01-core minimum.
    private static string Cores(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Megabytes(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
