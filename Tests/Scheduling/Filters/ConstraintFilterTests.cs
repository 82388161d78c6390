using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class ConstraintFilterTests
{
    private readonly ConstraintFilter _filter = new();

    [Fact]
    public void A_node_carrying_every_wanted_label_passes()
    {
        var spec = Job() with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a"), ["disk"] = LabelConstraint.Is("ssd") } };
        var node = Node("node-a") with { Labels = new Dictionary<string, string> { ["zone"] = "a", ["disk"] = "ssd", ["rack"] = "7" } };

        Assert.True(_filter.Check(Context(spec), node).Feasible);
    }

    [Fact]
    public void A_job_without_constraints_fits_any_node()
    {
        Assert.True(_filter.Check(Context(Job()), Node("node-a")).Feasible);
    }

    [Fact]
    public void A_different_value_is_refused_naming_label_wanted_and_actual()
    {
        var spec = Job() with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a") } };
        var node = Node("node-b") with { Labels = new Dictionary<string, string> { ["zone"] = "b" } };

        var result = _filter.Check(Context(spec), node);

        Assert.Equal(RejectionReasons.ConstraintMismatch, result.Reason);
        Assert.Equal("constraint mismatch: label zone wants a, node has b", result.Detail);
    }

    [Fact]
    public void A_missing_label_is_refused()
    {
        var spec = Job() with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a") } };

        var result = _filter.Check(Context(spec), Node("node-c"));

        Assert.Equal(RejectionReasons.ConstraintMismatch, result.Reason);
        Assert.Equal("constraint mismatch: label zone wants a, node has none", result.Detail);
    }

    [Fact]
    public void Values_compare_case_sensitively()
    {
        var spec = Job() with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a") } };
        var node = Node("node-a") with { Labels = new Dictionary<string, string> { ["zone"] = "A" } };

        Assert.False(_filter.Check(Context(spec), node).Feasible);
    }

    [Theory]
    [InlineData("in", "a,b", "a", null)]
    [InlineData("in", "a,b", "c", "constraint mismatch: label zone wants one of a, b, node has c")]
    [InlineData("in", "a,b", null, "constraint mismatch: label zone wants one of a, b, node has none")]
    [InlineData("notIn", "c", "a", null)]
    [InlineData("notIn", "c", null, null)]
    [InlineData("notIn", "b,c", "c", "constraint mismatch: label zone wants none of b, c, node has c")]
    [InlineData("exists", "", "anything", null)]
    [InlineData("exists", "", null, "constraint mismatch: label zone must exist, node has none")]
    [InlineData("notExists", "", null, null)]
    [InlineData("notExists", "", "a", "constraint mismatch: label zone must not exist, node has a")]
    [InlineData("in", "a", "A", "constraint mismatch: label zone wants one of a, node has A")]
    public void An_operator_passes_or_refuses_naming_label_rule_and_value(string op, string values, string? label, string? detail)
    {
        var constraint = new LabelConstraint
        {
            Operator = Enum.Parse<ConstraintOperator>(op, ignoreCase: true),
            Values = values.Length == 0 ? [] : values.Split(','),
        };
        var spec = Job() with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = constraint } };
        var node = Node("node-a") with { Labels = label is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["zone"] = label } };

        var result = _filter.Check(Context(spec), node);

        Assert.Equal(detail, result.Detail);
        Assert.Equal(detail is null ? null : RejectionReasons.ConstraintMismatch, result.Reason);
    }
}
