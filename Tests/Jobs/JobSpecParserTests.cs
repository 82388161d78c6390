using Orchestrator.Abstractions.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

public sealed class JobSpecParserTests
{
    private const string ContractExample = """
        {
          "name": "web",
          "image": "orch-test/busybox:latest",
          "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
          "env": { "GREETING": "hello" },
          "replicas": 2,
          "resources": { "cpu": 0.25, "memoryMb": 64 },
          "ports": [ { "container": 8080, "host": 0 } ],
          "restart": { "policy": "on-failure", "maxRestarts": 3, "backoffSeconds": 1 },
          "health": {
            "http": { "port": 8080, "path": "/" },
            "intervalSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 3
          },
          "constraints": { "zone": "a" },
          "scheduler": "epvm"
        }
        """;

    [Fact]
    public void The_update_block_parses_and_defaults_to_one_at_a_time_without_revert()
    {
        var spec = JobSpecParser.Parse("""
            { "name": "web", "image": "busybox",
              "update": { "maxParallel": 2, "minHealthySeconds": 1.5, "healthyDeadlineSeconds": 30, "autoRevert": true } }
            """);

        Assert.Equal(new UpdateSpec { MaxParallel = 2, MinHealthySeconds = 1.5, HealthyDeadlineSeconds = 30, AutoRevert = true }, spec.Update);
        Assert.Equal(new UpdateSpec { MaxParallel = 1, MinHealthySeconds = 10, HealthyDeadlineSeconds = 300, AutoRevert = false },
            JobSpecParser.Parse("""{ "name": "web", "image": "busybox" }""").Update);
        var unknown = Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "update": { "canary": 1 } }""")).Errors);
        Assert.Equal("update.canary", unknown.Field);
    }

    [Fact]
    public void The_contract_example_parses_into_every_field()
    {
        var spec = JobSpecParser.Parse(ContractExample);

        Assert.Equal("web", spec.Name);
        Assert.Equal("orch-test/busybox:latest", spec.Image);
        Assert.Equal(["httpd", "-f", "-p", "8080", "-h", "/www"], spec.Command);
        Assert.Equal("hello", spec.Env["GREETING"]);
        Assert.Equal(2, spec.Replicas);
        Assert.Equal(0.25, spec.Resources.Cpu);
        Assert.Equal(64, spec.Resources.MemoryMb);
        Assert.Equal(8080, Assert.Single(spec.Ports).Container);
        Assert.Equal(RestartPolicies.OnFailure, spec.Restart.Policy);
        Assert.Equal(8080, spec.Health?.Http?.Port);
        Assert.Equal(5, spec.Health?.IntervalSeconds);
        Assert.Equal(LabelConstraint.Is("a").Values, spec.Constraints["zone"].Values);
        Assert.Equal("epvm", spec.Scheduler);
        Assert.Empty(JobSpecValidator.Validate(spec));
    }

    [Fact]
    public void Omitted_fields_take_the_contract_defaults()
    {
        var spec = JobSpecParser.Parse("""{ "name": "web", "image": "busybox" }""");

        Assert.Null(spec.Command);
        Assert.Empty(spec.Env);
        Assert.Equal(1, spec.Replicas);
        Assert.Equal(0.1, spec.Resources.Cpu);
        Assert.Equal(64, spec.Resources.MemoryMb);
        Assert.Empty(spec.Ports);
        Assert.Equal(RestartPolicies.OnFailure, spec.Restart.Policy);
        Assert.Equal(3, spec.Restart.MaxRestarts);
        Assert.Equal(1, spec.Restart.BackoffSeconds);
        Assert.Null(spec.Health);
        Assert.Empty(spec.Constraints);
        Assert.Null(spec.Scheduler);
        Assert.Equal(ImagePullPolicies.Missing, spec.ImagePull);
    }

    [Fact]
    public void The_image_pull_policy_is_read_and_an_unknown_one_is_refused_naming_the_field_and_rule()
    {
        Assert.Equal(ImagePullPolicies.Always, JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "imagePull": "always" }""").ImagePull);

        var error = Assert.Single(JobSpecValidator.Validate(JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "imagePull": "sometimes" }""")));
        Assert.Equal("imagePull", error.Field);
        Assert.Equal("must be one of missing, always, never (got 'sometimes')", error.Rule);
        Assert.Equal("imagePull", Assert.Throws<JobSpecException>(() => JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "imagePull": null }""")).Errors.Single().Field);
    }

    [Fact]
    public void An_omitted_host_port_means_any_free_port()
    {
        var spec = JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "ports": [ { "container": 80 } ] }""");

        Assert.Equal(0, Assert.Single(spec.Ports).Host);
    }

    [Theory]
    [InlineData("""{ "name": "web", "image": "busybox", "replicaz": 2 }""", "replicaz")]
    [InlineData("""{ "Name": "web", "image": "busybox" }""", "Name")]
    [InlineData("""{ "name": "web", "image": "busybox", "resources": { "cpu": 1, "gpu": 1 } }""", "resources.gpu")]
    [InlineData("""{ "name": "web", "image": "busybox", "ports": [ { "container": 80, "proto": "udp" } ] }""", "ports[0].proto")]
    [InlineData("""{ "name": "web", "image": "busybox", "restart": { "policy": "never", "delay": 1 } }""", "restart.delay")]
    [InlineData("""{ "name": "web", "image": "busybox", "health": { "http": { "port": 80, "method": "GET" } } }""", "health.http.method")]
    public void Unknown_fields_are_refused_by_their_path(string json, string field)
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecParser.Parse(json)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal("unknown field", error.Rule);
    }

    [Theory]
    [InlineData("""{ "name": "web", "image": "busybox", "replicas": "two" }""", "replicas", "must be an integer")]
    [InlineData("""{ "name": "web", "image": "busybox", "replicas": 1.5 }""", "replicas", "must be an integer")]
    [InlineData("""{ "name": 5, "image": "busybox" }""", "name", "must be a string")]
    [InlineData("""{ "name": "web", "image": "busybox", "command": "httpd -f" }""", "command", "must be a list")]
    [InlineData("""{ "name": "web", "image": "busybox", "env": { "A": 1 } }""", "env.A", "must be a string")]
    [InlineData("""{ "name": "web", "image": "busybox", "env": ["A=1"] }""", "env", "must be an object of string values")]
    [InlineData("""{ "name": "web", "image": "busybox", "resources": { "cpu": "half" } }""", "resources.cpu", "must be a number")]
    [InlineData("""{ "name": "web", "image": "busybox", "resources": 1 }""", "resources", "must be an object")]
    [InlineData("""{ "name": "web", "image": "busybox", "ports": [ { "container": "80" } ] }""", "ports[0].container", "must be an integer")]
    [InlineData("""{ "name": "web", "image": "busybox", "privileged": "yes" }""", "privileged", "must be true or false")]
    public void Wrong_types_are_refused_naming_the_field_and_the_expected_type(string json, string field, string rule)
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecParser.Parse(json)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal(rule, error.Rule);
    }

    [Theory]
    [InlineData("""{ "name": null, "image": "busybox" }""", "name")]
    [InlineData("""{ "name": "web", "image": null }""", "image")]
    [InlineData("""{ "name": "web", "image": "busybox", "resources": null }""", "resources")]
    [InlineData("""{ "name": "web", "image": "busybox", "command": ["sh", null] }""", "command[1]")]
    [InlineData("""{ "name": "web", "image": "busybox", "env": { "A": null } }""", "env.A")]
    [InlineData("""{ "name": "web", "image": "busybox", "ports": [ null ] }""", "ports[0]")]
    [InlineData("""{ "name": "web", "image": "busybox", "constraints": { "zone": null } }""", "constraints.zone")]
    [InlineData("""{ "name": "web", "image": "busybox", "health": { "exec": [null] } }""", "health.exec[0]")]
    [InlineData("""{ "name": "web", "image": "busybox", "update": null }""", "update")]
    [InlineData("""{ "name": "web", "image": "busybox", "capAdd": [null] }""", "capAdd[0]")]
    public void Nulls_where_a_value_is_required_are_refused_naming_the_field(string json, string field)
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecParser.Parse(json)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal("must not be null", error.Rule);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("""{ "name": "web", "image": "busybox", }""")]
    [InlineData("")]
    public void Documents_that_are_not_a_job_object_are_refused(string json)
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecParser.Parse(json));

        Assert.StartsWith("invalid job spec: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_message_is_one_line_naming_field_and_rule()
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecParser.Parse("""{ "name": "web", "image": "busybox", "replicas": "two" }"""));

        Assert.Equal("invalid job spec: replicas: must be an integer", e.Message);
    }
}
