using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// The node checks what it is asked to run itself, whoever asks: the spec under its own silo's policy, and the spec's
/// resources and host ports against the task's reservation. A refused run creates nothing on the engine.
/// </summary>
public sealed class NodeRunAdmissionTests
{
    private static readonly JobSpec Plain = new()
    {
        Name = "web",
        Image = "orch-test/busybox:latest",
        Command = ["sleep", "3600"],
        Resources = new ResourceSpec { Cpu = 0.5, MemoryMb = 64 },
        Ports = [new PortSpec { Container = 80, Host = 8081 }],
    };

    private static readonly Dictionary<string, (Func<JobSpec, JobSpec> Change, string? Field)> Cases = new()
    {
        ["the spec it reserved for"] = (s => s, null),
        ["privileged"] = (s => s with { Privileged = true }, "privileged"),
        ["a mount of the host's root"] = (s => s with { Mounts = [new MountSpec { Source = "/", Target = "/host" }] }, "mounts"),
        ["the host network"] = (s => s with { Network = "host" }, "network"),
        ["more CPU than reserved"] = (s => s with { Resources = s.Resources with { Cpu = 4 } }, "resources"),
        ["more memory than reserved"] = (s => s with { Resources = s.Resources with { MemoryMb = 4096 } }, "resources"),
        ["a host port it did not reserve"] = (s => s with { Ports = [new PortSpec { Container = 80, Host = 22 }] }, "ports"),
        ["an invalid spec"] = (s => s with { Replicas = -1 }, "replicas"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_node_admits_only_the_reserved_spec_under_its_policy(string name)
    {
        var (change, field) = Cases[name];
        var entry = new LedgerEntry { TaskId = "web-0-abcdef", Job = "web", Resources = Plain.Resources, HostPorts = [8081] };

        var errors = RunAdmission.Check(change(Plain), entry, ExecutionPolicy.Default);

        Assert.Equal(field, errors.Count > 0 ? errors[0].Field : null);
    }

    [Fact]
    public async Task A_run_the_node_refuses_creates_nothing_and_leaves_the_ledger_as_it_was()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("web").SubmitAsync(Plain);
        var task = (await cluster.WaitForTasksAsync("web", t => t.Count == 1 && t[0].State == TaskState.Running))[0];
        var node = cluster.Client.GetNode(task.Node!);
        var before = await node.GetInfoAsync();

        var error = await Assert.ThrowsAsync<JobSpecException>(() => node.RunAsync(task.Id, Plain with { Privileged = true }, task.ContainerId));
        Assert.Contains("privileged", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<JobSpecException>(() => node.RunAsync(task.Id, Plain with { Resources = new ResourceSpec { Cpu = 4, MemoryMb = 64 } }, task.ContainerId));

        var containers = await cluster.Runtime.ListAsync(new Dictionary<string, string> { [ContainerLabels.Job] = "web" }, default);
        Assert.Equal([task.ContainerId], containers.Select(c => c.Id));
        var after = await node.GetInfoAsync();
        Assert.Equal((before.AllocatedCpu, before.AllocatedMemoryMb, before.Tasks), (after.AllocatedCpu, after.AllocatedMemoryMb, after.Tasks));
        Assert.Equal((0.5, 64L, 1), (after.AllocatedCpu, after.AllocatedMemoryMb, after.Tasks));
    }
}
