using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling.Filters;

/// <summary>
/// Every constraint of the job holds for the node's labels: an equal value, one of (<c>in</c>), none of
/// (<c>notIn</c>), present (<c>exists</c>) or absent (<c>notExists</c>); values compare ordinal, case-sensitive.
/// The first broken one in label order is reported, so the detail is stable.
/// </summary>
public sealed class ConstraintFilter : IPlacementFilter
{
    public FilterResult Check(PlacementContext context, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        return Mismatch(context.Spec.Constraints, node.Labels) is { } detail
            ? FilterResult.Reject(RejectionReasons.ConstraintMismatch, detail)
            : FilterResult.Pass;
    }

    /// <summary>
    /// The first constraint the labels break, described (<c>constraint mismatch: label zone wants one of a, b, node
    /// has c</c>); null when they satisfy every one.
    /// </summary>
    public static string? Mismatch(IReadOnlyDictionary<string, LabelConstraint> constraints, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (label, constraint) in constraints.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var actual = labels.GetValueOrDefault(label);
            if (!constraint.IsSatisfiedBy(actual))
            {
                return $"{RejectionReasons.ConstraintMismatch}: label {label} {constraint.Wanted}, node has {actual ?? "none"}";
            }
        }
        return null;
    }
}
