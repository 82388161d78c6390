namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// What one node label must be for a node to take the job: one entry of the job file's <c>constraints</c>,
/// keyed there by the label. <see cref="Values"/> holds one value for <see cref="ConstraintOperator.Is"/>, the list
/// for <see cref="ConstraintOperator.In"/> and <see cref="ConstraintOperator.NotIn"/>, none for the others.
/// </summary>
[GenerateSerializer, Immutable, Alias("label-constraint")]
public sealed record LabelConstraint
{
    [Id(0)] public ConstraintOperator Operator { get; init; }
    [Id(1)] public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The equality form, <c>"zone": "a"</c>.</summary>
    public static LabelConstraint Is(string value) => new() { Operator = ConstraintOperator.Is, Values = [value] };

    /// <summary>Whether a node whose label has <paramref name="value"/> (null: the node lacks the label) satisfies it. Ordinal.</summary>
    public bool IsSatisfiedBy(string? value) => Operator switch
    {
        ConstraintOperator.Is or ConstraintOperator.In => value is not null && Values.Contains(value, StringComparer.Ordinal),
        ConstraintOperator.NotIn => value is null || !Values.Contains(value, StringComparer.Ordinal),
        ConstraintOperator.Exists => value is not null,
        ConstraintOperator.NotExists => value is null,
        _ => false,
    };

    /// <summary>What it asks of the label, for people: <c>wants a</c>, <c>wants one of a, b</c>, <c>must exist</c>.</summary>
    public string Wanted => Operator switch
    {
        ConstraintOperator.Is => $"wants {(Values.Count > 0 ? Values[0] : "")}",
        ConstraintOperator.In => $"wants one of {string.Join(", ", Values)}",
        ConstraintOperator.NotIn => $"wants none of {string.Join(", ", Values)}",
        ConstraintOperator.Exists => "must exist",
        ConstraintOperator.NotExists => "must not exist",
        _ => $"has an unknown operator {Operator}",
    };
}
