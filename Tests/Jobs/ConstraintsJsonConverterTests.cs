using System.Text.Json;
using Orchestrator.Abstractions.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>The job file's <c>constraints</c>: the equality form and the operators, read, refused and written back.</summary>
public sealed class ConstraintsJsonConverterTests
{
    private static JobSpec Parse(string constraints) =>
        JobSpecParser.Parse($$"""{ "name": "web", "image": "busybox", "constraints": {{constraints}} }""");

    [Theory]
    [InlineData("""{ "zone": "a" }""", ConstraintOperator.Is, "a")]
    [InlineData("""{ "zone": { "in": ["a", "b"] } }""", ConstraintOperator.In, "a,b")]
    [InlineData("""{ "zone": { "notIn": ["c"] } }""", ConstraintOperator.NotIn, "c")]
    [InlineData("""{ "zone": { "exists": true } }""", ConstraintOperator.Exists, "")]
    [InlineData("""{ "zone": { "notExists": true } }""", ConstraintOperator.NotExists, "")]
    public void Each_form_reads_as_its_operator_and_values(string json, ConstraintOperator op, string values)
    {
        var constraint = Assert.Single(Parse(json).Constraints);

        Assert.Equal("zone", constraint.Key);
        Assert.Equal(op, constraint.Value.Operator);
        Assert.Equal(values, string.Join(",", constraint.Value.Values));
    }

    [Theory]
    [InlineData("""[ "zone=a" ]""", "constraints", "must be an object")]
    [InlineData("""{ "zone": 1 }""", "constraints.zone", "must be a string, or an object with one of in, notIn, exists, notExists")]
    [InlineData("""{ "zone": null }""", "constraints.zone", "must not be null")]
    [InlineData("""{ "zone": {} }""", "constraints.zone", "must be a string, or an object with one of in, notIn, exists, notExists")]
    [InlineData("""{ "zone": { "oneOf": ["a"] } }""", "constraints.zone.oneOf", "unknown operator; use one of in, notIn, exists, notExists")]
    [InlineData("""{ "zone": { "in": "a" } }""", "constraints.zone.in", "must be a list of strings")]
    [InlineData("""{ "zone": { "in": ["a", 2] } }""", "constraints.zone.in[1]", "must be a string")]
    [InlineData("""{ "zone": { "in": ["a", null] } }""", "constraints.zone.in[1]", "must be a string")]
    [InlineData("""{ "gpu": { "exists": false } }""", "constraints.gpu.exists", "must be true (for a label that must be absent, use notExists)")]
    [InlineData("""{ "gpu": { "notExists": "yes" } }""", "constraints.gpu.notExists", "must be true (for a label that must be present, use exists)")]
    [InlineData("""{ "zone": { "in": ["a"], "notIn": ["b"] } }""", "constraints.zone", "must hold exactly one operator (in, notIn, exists or notExists)")]
    public void A_wrong_shape_is_refused_naming_the_field_and_rule(string json, string field, string rule)
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => Parse(json)).Errors);

        Assert.Equal(field, error.Field);
        Assert.StartsWith(rule, error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_written_and_read_again_keeps_every_form()
    {
        var spec = Parse("""{ "zone": { "in": ["a", "b"] }, "disk": "ssd", "rack": { "notIn": ["7"] }, "gpu": { "exists": true }, "arch": { "notExists": true } }""");

        var written = JsonSerializer.Serialize(spec, JobSpecParser.Options);
        var again = JobSpecParser.Parse(written);

        Assert.Contains("\"disk\":\"ssd\"", written, StringComparison.Ordinal);
        Assert.Contains("\"zone\":{\"in\":[\"a\",\"b\"]}", written, StringComparison.Ordinal);
        Assert.Equal(
            spec.Constraints.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Wanted}"),
            again.Constraints.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Wanted}"));
    }

    [Fact]
    public void SpreadBy_and_distinctNodes_read_and_default_to_off()
    {
        var spec = JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "spreadBy": "zone", "distinctNodes": true }""");
        var plain = JobSpecParser.Parse("""{ "name": "web", "image": "busybox" }""");

        Assert.Equal("zone", spec.SpreadBy);
        Assert.True(spec.DistinctNodes);
        Assert.Null(plain.SpreadBy);
        Assert.False(plain.DistinctNodes);
        Assert.Equal("distinctNodes", Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "distinctNodes": "yes" }""")).Errors).Field);
    }
}
