namespace Orchestrator.Abstractions.Jobs;

/// <summary>How a <see cref="LabelConstraint"/> compares a node label with its values (the job file's <c>constraints</c>).</summary>
public enum ConstraintOperator
{
    /// <summary><c>"zone": "a"</c>: the label is present with exactly this value.</summary>
    Is,
    /// <summary><c>"zone": {"in": ["a", "b"]}</c>: the label is present with one of the values.</summary>
    In,
    /// <summary><c>"zone": {"notIn": ["c"]}</c>: the label is absent, or has none of the values.</summary>
    NotIn,
    /// <summary><c>"gpu": {"exists": true}</c>: the label is present, with any value.</summary>
    Exists,
    /// <summary><c>"arch": {"notExists": true}</c>: the label is absent.</summary>
    NotExists,
}
