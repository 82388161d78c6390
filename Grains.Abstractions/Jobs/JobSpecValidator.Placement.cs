namespace Orchestrator.Abstractions.Jobs;

/// <summary>The rules of where a job's replicas may go: <c>constraints</c>, <c>spreadBy</c> (the job file, README).</summary>
public static partial class JobSpecValidator
{
    private static void ValidatePlacement(JobSpec spec, Action<string, string> fail)
    {
        if (spec.Constraints.Count > SpecLimits.MaxConstraints)
        {
            fail("constraints", $"must have at most {SpecLimits.MaxConstraints} entries");
        }
        foreach (var (label, constraint) in spec.Constraints)
        {
            var field = $"constraints.{label}";
            if (!IsLabel(label))
            {
                fail(field, $"labels must be 1-{SpecLimits.MaxLabelLength} characters");
                continue;
            }
            ValidateConstraint(field, constraint, fail);
        }

        if (spec.SpreadBy is { } spreadBy && !IsLabel(spreadBy))
        {
            fail("spreadBy", $"must be a node label of 1-{SpecLimits.MaxLabelLength} characters (got '{spreadBy}')");
        }
    }

    private static void ValidateConstraint(string field, LabelConstraint constraint, Action<string, string> fail)
    {
        switch (constraint.Operator)
        {
            case ConstraintOperator.Is when constraint.Values.Count != 1:
                fail(field, "must have exactly one value");
                break;
            case ConstraintOperator.Is when constraint.Values[0].Length > SpecLimits.MaxLabelLength:
                fail(field, $"values must be at most {SpecLimits.MaxLabelLength} characters");
                break;
            case ConstraintOperator.In or ConstraintOperator.NotIn:
                var list = $"{field}.{(constraint.Operator == ConstraintOperator.In ? "in" : "notIn")}";
                if (constraint.Values.Count is 0 or > SpecLimits.MaxConstraintValues)
                {
                    fail(list, $"must list 1 to {SpecLimits.MaxConstraintValues} values (got {constraint.Values.Count})");
                }
                else if (constraint.Values.Any(v => v.Length > SpecLimits.MaxLabelLength))
                {
                    fail(list, $"values must be at most {SpecLimits.MaxLabelLength} characters");
                }
                break;
            case ConstraintOperator.Exists or ConstraintOperator.NotExists when constraint.Values.Count > 0:
                fail(field, $"{(constraint.Operator == ConstraintOperator.Exists ? "exists" : "notExists")} takes no values");
                break;
            case not (ConstraintOperator.Is or ConstraintOperator.In or ConstraintOperator.NotIn or ConstraintOperator.Exists or ConstraintOperator.NotExists):
                fail(field, "must use one of in, notIn, exists, notExists, or be a value");
                break;
        }
    }

    private static bool IsLabel(string label) => label.Length is > 0 and <= SpecLimits.MaxLabelLength;
}
