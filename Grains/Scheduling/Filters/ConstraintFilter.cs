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
        foreach (var (label, wanted) in context.Spec.Constraints.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!node.Labels.TryGetValue(label, out var actual))
            {
                return FilterResult.Reject(
                    FilterReasons.ConstraintMismatch,
                    $"constraint mismatch: label {label} wants {wanted}, node has none");
            }
            if (!string.Equals(actual, wanted, StringComparison.Ordinal))
            {
                return FilterResult.Reject(
                    FilterReasons.ConstraintMismatch,
                    $"constraint mismatch: label {label} wants {wanted}, node has {actual}");
            }
        }
        return FilterResult.Pass;
    }
}
