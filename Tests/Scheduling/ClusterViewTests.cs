using Microsoft.Extensions.Time.Testing;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Scheduling;
using Xunit;

namespace Orchestrator.Tests.Scheduling;

/// <summary>How a silo's cached view counts its own picks until the next refresh, as a table.</summary>
public sealed class ClusterViewTests
{
    private static NodeInfo Node(string name) => SchedulingFixtures.Node(name, memoryMb: 8192, allocatedCpu: 1, allocatedMemoryMb: 1024) with
    {
        Tasks = 2,
        UsedHostPorts = [80],
        TasksByJob = new Dictionary<string, int> { ["db"] = 2 },
    };

    private static JobSpec Spec(string name, params int[] hostPorts) =>
        SchedulingFixtures.Job(name: name) with { Ports = hostPorts.Select(p => new PortSpec { Container = 8080, Host = p }).ToArray() };

    public static TheoryData<string, string[], JobSpec[], double, long, int, string, int[]> Cases => new()
    {
        // because, nodes assumed on (in order), specs placed, then node-1's allocated cpu, memory, tasks, tasks by job, host ports
        { "nothing assumed", [], [], 1, 1024, 2, "db=2", [80] },
        { "one replica", ["node-1"], [Spec("web")], 1.5, 1280, 3, "db=2 web=1", [80] },
        { "two replicas of one job", ["node-1", "node-1"], [Spec("web"), Spec("web")], 2, 1536, 4, "db=2 web=2", [80] },
        { "a replica of a job it already runs", ["node-1"], [Spec("db")], 1.5, 1280, 3, "db=3", [80] },
        { "a fixed host port is taken", ["node-1"], [Spec("web", 8080)], 1.5, 1280, 3, "db=2 web=1", [80, 8080] },
        { "an ephemeral host port takes none", ["node-1"], [Spec("web", 0)], 1.5, 1280, 3, "db=2 web=1", [80] },
        { "a pick on another node leaves this one alone", ["node-2"], [Spec("web", 8080)], 1, 1024, 2, "db=2", [80] },
        { "a pick on a node the view does not know is ignored", ["node-9"], [Spec("web")], 1, 1024, 2, "db=2", [80] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Assume_counts_a_pick_until_the_next_refresh(
        string because, string[] nodes, JobSpec[] specs, double cpu, long memoryMb, int tasks, string byJob, int[] hostPorts)
    {
        var view = new ClusterView(new FakeTimeProvider());
        view.Refresh([Node("node-1"), Node("node-2")]);

        foreach (var (node, spec) in nodes.Zip(specs))
        {
            view.Assume(node, spec);
        }

        var seen = view.Nodes.Single(n => n.Name == "node-1");
        Assert.True(Math.Abs(cpu - seen.AllocatedCpu) < 1e-9, $"{because}: allocated cpu {seen.AllocatedCpu}");
        Assert.True(memoryMb == seen.AllocatedMemoryMb, $"{because}: allocated memory {seen.AllocatedMemoryMb}");
        Assert.True(tasks == seen.Tasks, $"{because}: tasks {seen.Tasks}");
        var seenByJob = string.Join(" ", seen.TasksByJob.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j => $"{j.Key}={j.Value}"));
        Assert.True(byJob == seenByJob, $"{because}: tasks by job {seenByJob}");
        Assert.True(hostPorts.SequenceEqual(seen.UsedHostPorts), $"{because}: host ports {string.Join(", ", seen.UsedHostPorts)}");
        Assert.Equal(2, view.Nodes.Count);
    }

    [Fact]
    public async Task Callers_that_find_the_view_stale_at_once_share_one_fetch_a_fresh_view_fetches_nothing_and_a_stale_one_fetches_again()
    {
        var clock = new FakeTimeProvider();
        var view = new ClusterView(clock);
        var fetches = 0;
        var answer = new TaskCompletionSource<IReadOnlyList<NodeInfo>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<IReadOnlyList<NodeInfo>> List()
        {
            Interlocked.Increment(ref fetches);
            return answer.Task;
        }

        var callers = Enumerable.Range(0, 50).Select(_ => view.CurrentAsync(List)).ToList();
        answer.SetResult([Node("node-1")]);
        var seen = await Task.WhenAll(callers);
        await view.CurrentAsync(List);

        Assert.Equal(1, fetches);
        Assert.All(seen, nodes => Assert.Equal("node-1", Assert.Single(nodes).Name));

        clock.Advance(TimeSpan.FromSeconds(1));
        await view.CurrentAsync(List);
        Assert.Equal(2, fetches);
    }

    [Fact]
    public async Task A_failed_fetch_fails_the_callers_waiting_on_it_and_the_next_caller_fetches_again()
    {
        var view = new ClusterView(new FakeTimeProvider());
        var failure = new TaskCompletionSource<IReadOnlyList<NodeInfo>>(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = Enumerable.Range(0, 3).Select(_ => view.CurrentAsync(() => failure.Task)).ToList();
        failure.SetException(new TimeoutException("the directory did not answer"));
        foreach (var caller in waiting)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => caller);
        }
        var after = await view.CurrentAsync(() => Task.FromResult<IReadOnlyList<NodeInfo>>([Node("node-2")]));

        Assert.Equal("node-2", Assert.Single(after).Name);
    }

    [Fact]
    public void A_refresh_replaces_what_was_assumed()
    {
        var view = new ClusterView(new FakeTimeProvider());
        view.Refresh([Node("node-1")]);
        view.Assume("node-1", Spec("web", 8080));

        view.Refresh([Node("node-1")]);

        Assert.Equal(1, view.Nodes[0].AllocatedCpu);
        Assert.Equal(1024, view.Nodes[0].AllocatedMemoryMb);
        Assert.Equal(2, view.Nodes[0].Tasks);
        Assert.Equal(new[] { 80 }, view.Nodes[0].UsedHostPorts);
        Assert.Equal(2, view.Nodes[0].TasksByJob["db"]);
        Assert.False(view.Nodes[0].TasksByJob.ContainsKey("web"));
    }

    [Fact]
    public void Assume_leaves_the_node_copy_it_handed_out_unchanged()
    {
        var view = new ClusterView(new FakeTimeProvider());
        view.Refresh([Node("node-1")]);
        var before = view.Nodes[0];

        view.Assume("node-1", Spec("web", 8080));

        Assert.Equal(1, before.AllocatedCpu);
        Assert.Equal(new[] { 80 }, before.UsedHostPorts);
        Assert.False(before.TasksByJob.ContainsKey("web"));
    }
}
