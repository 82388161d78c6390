using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>Which resubmissions make a new version, and which of those replace replicas, as a table.</summary>
public sealed class JobSpecComparerTests
{
    private static readonly JobSpec Current = new()
    {
        Name = "web",
        Image = "img:1",
        Command = ["httpd", "-f"],
        Env = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" },
        Replicas = 2,
        Ports = [new PortSpec { Container = 8080 }],
        Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("a"), ["disk"] = LabelConstraint.Is("ssd") },
        Scheduler = "epvm",
    };

    public static TheoryData<string, Func<JobSpec, JobSpec>, bool, bool> Cases => new()
    {
        // because, the resubmitted spec, same version, same tasks
        { "the same spec", s => s, true, true },
        { "a copy with fresh maps and lists", s => s with { Command = ["httpd", "-f"], Env = new Dictionary<string, string>(s.Env), Ports = [new PortSpec { Container = 8080 }] }, true, true },
        { "env in another order", s => s with { Env = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" } }, true, true },
        { "constraints in another order", s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["disk"] = LabelConstraint.Is("ssd"), ["zone"] = LabelConstraint.Is("a") } }, true, true },
        { "only the replica count", s => s with { Replicas = 7 }, true, true },
        { "another scheduler", s => s with { Scheduler = "spread" }, false, true },
        { "the silo's default scheduler", s => s with { Scheduler = null }, false, true },
        { "another update block", s => s with { Update = new UpdateSpec { MaxParallel = 2 } }, false, true },
        { "another constraint", s => s with { Constraints = new Dictionary<string, LabelConstraint> { ["zone"] = LabelConstraint.Is("b"), ["disk"] = LabelConstraint.Is("ssd") } }, false, true },
        { "another image", s => s with { Image = "img:2" }, false, false },
        { "another command", s => s with { Command = ["httpd", "-v"] }, false, false },
        { "the image's own command", s => s with { Command = null }, false, false },
        { "another env value", s => s with { Env = new Dictionary<string, string> { ["A"] = "1", ["B"] = "3" } }, false, false },
        { "one more env variable", s => s with { Env = new Dictionary<string, string>(s.Env) { ["C"] = "3" } }, false, false },
        { "other resources", s => s with { Resources = new ResourceSpec { Cpu = 0.5 } }, false, false },
        { "another port", s => s with { Ports = [new PortSpec { Container = 8080, Host = 9000 }] }, false, false },
        { "another restart policy", s => s with { Restart = new RestartSpec { Policy = RestartPolicies.Always } }, false, false },
        { "a health check", s => s with { Health = new HealthSpec { Exec = ["true"] } }, false, false },
        { "another image pull policy", s => s with { ImagePull = ImagePullPolicies.Always }, false, false },
        { "a scale and a new image at once", s => s with { Replicas = 1, Image = "img:2" }, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compares(string because, Func<JobSpec, JobSpec> resubmit, bool sameVersion, bool sameTasks)
    {
        var next = resubmit(Current);

        Assert.True(sameVersion == JobSpecComparer.SameVersion(Current, next), $"{because}: same version should be {sameVersion}");
        Assert.True(sameTasks == JobSpecComparer.SameTasks(Current, next), $"{because}: same tasks should be {sameTasks}");
        Assert.True(sameVersion == JobSpecComparer.SameVersion(next, Current), $"{because}: the other way round, same version should be {sameVersion}");
        Assert.True(sameTasks == JobSpecComparer.SameTasks(next, Current), $"{because}: the other way round, same tasks should be {sameTasks}");
    }
}
