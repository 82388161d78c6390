using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// Every constraint of the job is a node label that must be present with exactly the wanted value
/// (ordinal, case-sensitive). The first mismatch in key order is reported, so the detail is stable.
/// </summary>
public sealed class ConstraintFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        return Mismatch(context.Spec.Constraints, node.Labels) is { } detail
            ? FilterResult.Reject(FilterReasons.ConstraintMismatch, detail)
            : FilterResult.Pass;
    }

    /// <summary>The first constraint the labels break, described; null when they satisfy every one.</summary>
    public static string? Mismatch(IReadOnlyDictionary<string, string> constraints, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (label, wanted) in constraints.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!labels.TryGetValue(label, out var actual))
            {
                return $"constraint mismatch: label {label} wants {wanted}, node has none";
            }
            if (!string.Equals(actual, wanted, StringComparison.Ordinal))
            {
                return $"constraint mismatch: label {label} wants {wanted}, node has {actual}";
            }
        }
        return null;
    }
}
