using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Xunit;

namespace Orchestrator.Tests.Jobs;

public sealed class JobSpecValidatorTests
{
    private static readonly JobSpec Valid = new() { Name = "web", Image = "orch-test/busybox:latest" };
    private static readonly NodeCapacity LargestNode = new(Cpus: 2, MemoryMb: 1024);
    private static readonly ExecutionPolicy AllowAll = new() { AllowPrivileged = true, AllowHostMounts = true, AllowHostNetwork = true };

    // Every rule of the job file (docs/CONTRACT.md, Job file), with a value on each side of it. Keys are the test case names.
    private static readonly Dictionary<string, Func<JobSpec, JobSpec>> Accepted = new()
    {
        ["name one character"] = s => s with { Name = "a" },
        ["name with digits and dashes"] = s => s with { Name = "web-2-x" },
        ["name 63 characters"] = s => s with { Name = new string('a', 63) },
        ["image bare name"] = s => s with { Image = "busybox" },
        ["image with registry port and tag"] = s => s with { Image = "registry.local:5000/team/app:1.2.3" },
        ["image with digest"] = s => s with { Image = "busybox@sha256:" + new string('a', 64) },
        ["command absent"] = s => s with { Command = null },
        ["command empty list"] = s => s with { Command = [] },
        ["command 256 items"] = s => s with { Command = [.. Enumerable.Repeat("x", 256)] },
        ["env entries"] = s => s with { Env = new Dictionary<string, string> { ["A"] = "1", ["EMPTY"] = "" } },
        ["replicas 0"] = s => s with { Replicas = 0 },
        ["replicas 10000"] = s => s with { Replicas = 10_000 },
        ["cpu at the engine minimum"] = s => s with { Resources = new ResourceSpec { Cpu = 0.01 } },
        ["cpu equal to the largest node"] = s => s with { Resources = new ResourceSpec { Cpu = 2 } },
        ["memory at the engine minimum"] = s => s with { Resources = new ResourceSpec { MemoryMb = 6 } },
        ["memory equal to the largest node"] = s => s with { Resources = new ResourceSpec { MemoryMb = 1024 } },
        ["ports at both ends of the range"] = s => s with { Ports = [new PortSpec { Container = 1, Host = 65535 }, new PortSpec { Container = 65535, Host = 1 }] },
        ["several ports on any free host port"] = s => s with { Ports = [new PortSpec { Container = 80 }, new PortSpec { Container = 81 }] },
        ["restart always"] = s => s with { Restart = new RestartSpec { Policy = RestartPolicies.Always } },
        ["restart never"] = s => s with { Restart = new RestartSpec { Policy = RestartPolicies.Never } },
        ["restart no retries"] = s => s with { Restart = new RestartSpec { MaxRestarts = 0 } },
        ["backoff 0"] = s => s with { Restart = new RestartSpec { BackoffSeconds = 0 } },
        ["backoff 300"] = s => s with { Restart = new RestartSpec { BackoffSeconds = 300 } },
        ["health http"] = s => s with { Health = new HealthSpec { Http = new HttpCheckSpec { Port = 8080, Path = "/health" } } },
        ["health exec"] = s => s with { Health = new HealthSpec { Exec = ["true"], IntervalSeconds = 1, TimeoutSeconds = 0.1, FailureThreshold = 100 } },
        ["constraints"] = s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a") } },
        ["constraint operators"] = s => s with
        {
            Constraints = new Dictionary<string, LabelConstraint>
            {
                ["zone"] = new() { Operator = ConstraintOperator.In, Values = ["a", "b"] },
                ["disk"] = new() { Operator = ConstraintOperator.NotIn, Values = ["hdd"] },
                ["gpu"] = new() { Operator = ConstraintOperator.Exists },
                ["arch"] = new() { Operator = ConstraintOperator.NotExists },
            },
        },
        ["in with 64 values"] = s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In, Values = [.. Enumerable.Range(0, 64).Select(i => $"z{i}")] } } },
        ["spreadBy a label"] = s => s with { SpreadBy = "zone" },
        ["distinctNodes"] = s => s with { DistinctNodes = true },
        ["scheduler epvm"] = s => s with { Scheduler = "epvm" },
        ["scheduler round-robin"] = s => s with { Scheduler = "round-robin" },
        ["scheduler binpack"] = s => s with { Scheduler = "binpack" },
        ["scheduler spread"] = s => s with { Scheduler = "spread" },
        ["network bridge"] = s => s with { Network = "bridge" },
        ["update defaults"] = s => s with { Update = new UpdateSpec() },
        ["update at the edges"] = s => s with { Update = new UpdateSpec { MaxParallel = 10_000, MinHealthySeconds = 0, HealthyDeadlineSeconds = 86_400, AutoRevert = true } },
        ["imagePull missing"] = s => s with { ImagePull = ImagePullPolicies.Missing },
        ["imagePull always"] = s => s with { ImagePull = ImagePullPolicies.Always },
        ["imagePull never"] = s => s with { ImagePull = ImagePullPolicies.Never },
        ["type service"] = s => s with { Type = JobTypes.Service },
        ["type batch"] = s => s with { Type = JobTypes.Batch },
        ["batch with policy never"] = s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Policy = RestartPolicies.Never } },
        ["batch reschedules at the edges"] = s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Reschedules = 0 } },
        ["batch reschedules 10"] = s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Reschedules = 10 } },
        ["stopGraceSeconds 0"] = s => s with { StopGraceSeconds = 0 },
        ["stopGraceSeconds 20"] = s => s with { StopGraceSeconds = 20 },
        ["schedule every five minutes"] = s => s with { Type = JobTypes.Batch, Schedule = "*/5 * * * *" },
        ["schedule with names and ranges"] = s => s with { Type = JobTypes.Batch, Schedule = "30 2 1-7 * MON" },
        ["schedule concurrency allow"] = s => s with { Type = JobTypes.Batch, Schedule = "0 * * * *", Concurrency = ConcurrencyPolicies.Allow },
        ["scheduled name 50 characters"] = s => s with { Name = new string('a', 50), Type = JobTypes.Batch, Schedule = "0 * * * *" },
    };

    private static readonly Dictionary<string, (Func<JobSpec, JobSpec> Break, string Field)> Refused = new()
    {
        ["name missing"] = (s => s with { Name = "" }, "name"),
        ["name uppercase"] = (s => s with { Name = "Web" }, "name"),
        ["name leading dash"] = (s => s with { Name = "-web" }, "name"),
        ["name trailing dash"] = (s => s with { Name = "web-" }, "name"),
        ["name underscore"] = (s => s with { Name = "we_b" }, "name"),
        ["name 64 characters"] = (s => s with { Name = new string('a', 64) }, "name"),
        ["image missing"] = (s => s with { Image = "" }, "image"),
        ["image with spaces"] = (s => s with { Image = "bad image" }, "image"),
        ["image uppercase path"] = (s => s with { Image = "BusyBox" }, "image"),
        ["image too long"] = (s => s with { Image = new string('a', 256) }, "image"),
        ["command 257 items"] = (s => s with { Command = [.. Enumerable.Repeat("x", 257)] }, "command"),
        ["command over 64 KiB"] = (s => s with { Command = [new string('x', (64 * 1024) + 1)] }, "command"),
        ["command with NUL"] = (s => s with { Command = ["a\0b"] }, "command"),
        ["env name with ="] = (s => s with { Env = new Dictionary<string, string> { ["A=B"] = "1" } }, "env.A=B"),
        ["env empty name"] = (s => s with { Env = new Dictionary<string, string> { [""] = "1" } }, "env."),
        ["env 257 entries"] = (s => s with { Env = Enumerable.Range(0, 257).ToDictionary(i => $"K{i}", _ => "v") }, "env"),
        ["replicas -1"] = (s => s with { Replicas = -1 }, "replicas"),
        ["replicas 10001"] = (s => s with { Replicas = 10_001 }, "replicas"),
        ["cpu below the engine minimum"] = (s => s with { Resources = new ResourceSpec { Cpu = 0.009 } }, "resources.cpu"),
        ["cpu NaN"] = (s => s with { Resources = new ResourceSpec { Cpu = double.NaN } }, "resources.cpu"),
        ["cpu negative infinity"] = (s => s with { Resources = new ResourceSpec { Cpu = double.NegativeInfinity } }, "resources.cpu"),
        ["cpu above the largest node"] = (s => s with { Resources = new ResourceSpec { Cpu = 2.5 } }, "resources.cpu"),
        ["memory below the engine minimum"] = (s => s with { Resources = new ResourceSpec { MemoryMb = 5 } }, "resources.memoryMb"),
        ["memory above the largest node"] = (s => s with { Resources = new ResourceSpec { MemoryMb = 1025 } }, "resources.memoryMb"),
        ["container port 0"] = (s => s with { Ports = [new PortSpec { Container = 0 }] }, "ports[0].container"),
        ["container port 65536"] = (s => s with { Ports = [new PortSpec { Container = 65536 }] }, "ports[0].container"),
        ["container port repeated"] = (s => s with { Ports = [new PortSpec { Container = 80 }, new PortSpec { Container = 80 }] }, "ports[1].container"),
        ["host port -1"] = (s => s with { Ports = [new PortSpec { Container = 80, Host = -1 }] }, "ports[0].host"),
        ["host port 65536"] = (s => s with { Ports = [new PortSpec { Container = 80, Host = 65536 }] }, "ports[0].host"),
        ["host port repeated"] = (s => s with { Ports = [new PortSpec { Container = 80, Host = 8080 }, new PortSpec { Container = 81, Host = 8080 }] }, "ports[1].host"),
        ["65 ports"] = (s => s with { Ports = [.. Enumerable.Range(1, 65).Select(p => new PortSpec { Container = p })] }, "ports"),
        ["restart policy unknown"] = (s => s with { Restart = new RestartSpec { Policy = "sometimes" } }, "restart.policy"),
        ["restart negative retries"] = (s => s with { Restart = new RestartSpec { MaxRestarts = -1 } }, "restart.maxRestarts"),
        ["backoff negative"] = (s => s with { Restart = new RestartSpec { BackoffSeconds = -1 } }, "restart.backoffSeconds"),
        ["backoff over 300"] = (s => s with { Restart = new RestartSpec { BackoffSeconds = 301 } }, "restart.backoffSeconds"),
        ["health with neither check"] = (s => s with { Health = new HealthSpec() }, "health"),
        ["health with both checks"] = (s => s with { Health = new HealthSpec { Http = new HttpCheckSpec { Port = 80 }, Exec = ["true"] } }, "health"),
        ["health http port 0"] = (s => s with { Health = new HealthSpec { Http = new HttpCheckSpec { Port = 0 } } }, "health.http.port"),
        ["health http relative path"] = (s => s with { Health = new HealthSpec { Http = new HttpCheckSpec { Port = 80, Path = "health" } } }, "health.http.path"),
        ["health exec empty"] = (s => s with { Health = new HealthSpec { Exec = [] } }, "health.exec"),
        ["health interval under 1 s"] = (s => s with { Health = new HealthSpec { Exec = ["true"], IntervalSeconds = 0.5 } }, "health.intervalSeconds"),
        ["health timeout under 0.1 s"] = (s => s with { Health = new HealthSpec { Exec = ["true"], TimeoutSeconds = 0.05 } }, "health.timeoutSeconds"),
        ["health threshold 0"] = (s => s with { Health = new HealthSpec { Exec = ["true"], FailureThreshold = 0 } }, "health.failureThreshold"),
        ["constraint with empty key"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { [""] = LabelConstraint.Is("a") } }, "constraints."),
        ["constraint value too long"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is(new string('a', 254)) } }, "constraints.zone"),
        ["33 constraints"] = (s => s with { Constraints = Enumerable.Range(0, 33).ToDictionary(i => $"k{i}", _ => LabelConstraint.Is("v")) }, "constraints"),
        ["in with no values"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In } } }, "constraints.zone.in"),
        ["notIn with no values"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.NotIn } } }, "constraints.zone.notIn"),
        ["in with 65 values"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In, Values = [.. Enumerable.Range(0, 65).Select(i => $"z{i}")] } } }, "constraints.zone.in"),
        ["in with a value too long"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.In, Values = ["a", new string('b', 254)] } } }, "constraints.zone.in"),
        ["exists with values"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["gpu"] = new() { Operator = ConstraintOperator.Exists, Values = ["x"] } } }, "constraints.gpu"),
        ["equality with two values"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = ConstraintOperator.Is, Values = ["a", "b"] } } }, "constraints.zone"),
        ["unknown operator"] = (s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = new() { Operator = (ConstraintOperator)99, Values = ["a"] } } }, "constraints.zone"),
        ["spreadBy empty"] = (s => s with { SpreadBy = "" }, "spreadBy"),
        ["spreadBy too long"] = (s => s with { SpreadBy = new string('z', 254) }, "spreadBy"),
        ["scheduler unknown"] = (s => s with { Scheduler = "fifo" }, "scheduler"),
        ["update maxParallel 0"] = (s => s with { Update = new UpdateSpec { MaxParallel = 0 } }, "update.maxParallel"),
        ["update minHealthySeconds negative"] = (s => s with { Update = new UpdateSpec { MinHealthySeconds = -1 } }, "update.minHealthySeconds"),
        ["update minHealthySeconds NaN"] = (s => s with { Update = new UpdateSpec { MinHealthySeconds = double.NaN } }, "update.minHealthySeconds"),
        ["update healthyDeadlineSeconds 0"] = (s => s with { Update = new UpdateSpec { HealthyDeadlineSeconds = 0 } }, "update.healthyDeadlineSeconds"),
        ["update deadline not past minHealthy"] = (s => s with { Update = new UpdateSpec { MinHealthySeconds = 30, HealthyDeadlineSeconds = 30 } }, "update.healthyDeadlineSeconds"),
        ["network unknown"] = (s => s with { Network = "overlay" }, "network"),
        ["imagePull unknown"] = (s => s with { ImagePull = "sometimes" }, "imagePull"),
        ["imagePull in capitals"] = (s => s with { ImagePull = "Always" }, "imagePull"),
        ["mount with relative path"] = (s => s with { Mounts = [new MountSpec { Source = "data", Target = "/data" }] }, "mounts[0]"),
        ["mount target smuggling bind options"] = (s => s with { Mounts = [new MountSpec { Source = "/srv", Target = "/data:rshared" }] }, "mounts[0]"),
        ["mount source with a comma"] = (s => s with { Mounts = [new MountSpec { Source = "/srv,/etc", Target = "/data" }] }, "mounts[0]"),
        ["capability malformed"] = (s => s with { CapAdd = ["net admin"] }, "capAdd[0]"),
        ["type unknown"] = (s => s with { Type = "cron" }, "type"),
        ["type in capitals"] = (s => s with { Type = "Batch" }, "type"),
        ["batch with policy always"] = (s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Policy = RestartPolicies.Always } }, "restart.policy"),
        ["reschedules on a service"] = (s => s with { Restart = new RestartSpec { Reschedules = 1 } }, "restart.reschedules"),
        ["reschedules -1"] = (s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Reschedules = -1 } }, "restart.reschedules"),
        ["reschedules 11"] = (s => s with { Type = JobTypes.Batch, Restart = new RestartSpec { Reschedules = 11 } }, "restart.reschedules"),
        ["stopGraceSeconds -1"] = (s => s with { StopGraceSeconds = -1 }, "stopGraceSeconds"),
        ["stopGraceSeconds 21"] = (s => s with { StopGraceSeconds = 21 }, "stopGraceSeconds"),
        ["schedule not cron"] = (s => s with { Type = JobTypes.Batch, Schedule = "every minute" }, "schedule"),
        ["schedule with a seconds field"] = (s => s with { Type = JobTypes.Batch, Schedule = "*/10 * * * * *" }, "schedule"),
        ["schedule minute 60"] = (s => s with { Type = JobTypes.Batch, Schedule = "60 * * * *" }, "schedule"),
        ["schedule on a service"] = (s => s with { Schedule = "* * * * *" }, "schedule"),
        ["scheduled name 51 characters"] = (s => s with { Name = new string('a', 51), Type = JobTypes.Batch, Schedule = "* * * * *" }, "name"),
        ["concurrency without a schedule"] = (s => s with { Type = JobTypes.Batch, Concurrency = ConcurrencyPolicies.Allow }, "concurrency"),
        ["concurrency unknown"] = (s => s with { Type = JobTypes.Batch, Schedule = "* * * * *", Concurrency = "replace" }, "concurrency"),
    };

    // What the default policy refuses and a permissive policy allows.
    private static readonly Dictionary<string, (Func<JobSpec, JobSpec> Elevate, string Field)> Elevated = new()
    {
        ["privileged"] = (s => s with { Privileged = true }, "privileged"),
        ["host mounts"] = (s => s with { Mounts = [new MountSpec { Source = "/srv", Target = "/data" }] }, "mounts"),
        ["host network"] = (s => s with { Network = "host" }, "network"),
        ["extra capabilities"] = (s => s with { CapAdd = ["NET_ADMIN"] }, "capAdd"),
    };

    public static TheoryData<string> AcceptedCases => [.. Accepted.Keys];

    public static TheoryData<string> RefusedCases => [.. Refused.Keys];

    public static TheoryData<string> ElevatedCases => [.. Elevated.Keys];

    [Fact]
    public void The_minimal_spec_is_valid()
    {
        Assert.Empty(JobSpecValidator.Validate(Valid, ExecutionPolicy.Default, LargestNode));
    }

    [Theory]
    [MemberData(nameof(AcceptedCases))]
    public void Values_within_the_rules_are_accepted(string name)
    {
        var spec = Accepted[name](Valid);

        Assert.Empty(JobSpecValidator.Validate(spec, ExecutionPolicy.Default, LargestNode));
    }

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void Values_breaking_a_rule_are_refused_naming_the_field(string name)
    {
        var (breakRule, field) = Refused[name];

        // A permissive policy, so a malformed mount or capability reports its own rule and not the policy too.
        var errors = JobSpecValidator.Validate(breakRule(Valid), AllowAll, LargestNode);

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Rule));
    }

    [Theory]
    [MemberData(nameof(ElevatedCases))]
    public void Elevated_rights_are_refused_by_the_default_policy_naming_the_field(string name)
    {
        var (elevate, field) = Elevated[name];

        var error = Assert.Single(JobSpecValidator.Validate(elevate(Valid), ExecutionPolicy.Default, LargestNode));

        Assert.Equal(field, error.Field);
        Assert.Contains("policy", error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ElevatedCases))]
    public void Elevated_rights_are_accepted_when_the_policy_allows_them(string name)
    {
        Assert.Empty(JobSpecValidator.Validate(Elevated[name].Elevate(Valid), AllowAll, LargestNode));
    }

    [Theory]
    [MemberData(nameof(ElevatedCases))]
    public void Without_a_policy_the_client_leaves_elevated_rights_to_the_silo(string name)
    {
        Assert.Empty(JobSpecValidator.Validate(Elevated[name].Elevate(Valid)));
    }

    [Fact]
    public void Without_a_node_capacity_large_resources_are_left_to_the_silo()
    {
        var spec = Valid with { Resources = new ResourceSpec { Cpu = 512, MemoryMb = 1_000_000 } };

        Assert.Empty(JobSpecValidator.Validate(spec));
    }

    [Fact]
    public void The_replicas_error_says_the_range_and_the_value()
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecValidator.EnsureValid(Valid with { Replicas = -1 }));

        Assert.Equal("invalid job spec: replicas: must be an integer from 0 to 10000 (got -1)", e.Message);
    }

    [Fact]
    public void Every_broken_rule_is_reported_in_field_order()
    {
        var spec = Valid with { Name = "", Replicas = -1, Scheduler = "fifo" };

        var errors = JobSpecValidator.Validate(spec);

        Assert.Equal(["name", "replicas", "scheduler"], errors.Select(e => e.Field));
        var e = Assert.Throws<JobSpecException>(() => JobSpecValidator.EnsureValid(spec));
        Assert.StartsWith("invalid job spec: name: is required (and 2 more: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void A_valid_spec_passes_ensure_valid()
    {
        JobSpecValidator.EnsureValid(Valid, ExecutionPolicy.Default, LargestNode);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Cpu_that_is_not_finite_is_refused_even_when_no_node_is_known(double cpu)
    {
        // A scale checks the spec without the cluster's nodes: there is no largest node to be above.
        var error = Assert.Single(JobSpecValidator.Validate(Valid with { Resources = new ResourceSpec { Cpu = cpu } }));
        Assert.Equal("resources.cpu", error.Field);
        Assert.Contains("finite", error.Rule, StringComparison.Ordinal);
    }
}
