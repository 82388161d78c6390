using Orchestrator.Grains.Scheduling;
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
        var spec = Job() with { Constraints = new Dictionary<string, string> { ["zone"] = "a", ["disk"] = "ssd" } };
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
        var spec = Job() with { Constraints = new Dictionary<string, string> { ["zone"] = "a" } };
        var node = Node("node-b") with { Labels = new Dictionary<string, string> { ["zone"] = "b" } };

        var result = _filter.Check(Context(spec), node);

        Assert.Equal(FilterReasons.ConstraintMismatch, result.Reason);
        Assert.Equal("constraint mismatch: label zone wants a, node has b", result.Detail);
    }

    [Fact]
    public void A_missing_label_is_refused()
    {
        var spec = Job() with { Constraints = new Dictionary<string, string> { ["zone"] = "a" } };

        var result = _filter.Check(Context(spec), Node("node-c"));

        Assert.Equal(FilterReasons.ConstraintMismatch, result.Reason);
        Assert.Equal("constraint mismatch: label zone wants a, node has none", result.Detail);
    }

    [Fact]
    public void Values_compare_case_sensitively()
    {
        var spec = Job() with { Constraints = new Dictionary<string, string> { ["zone"] = "a" } };
        var node = Node("node-a") with { Labels = new Dictionary<string, string> { ["zone"] = "A" } };

        Assert.False(_filter.Check(Context(spec), node).Feasible);
    }
}
