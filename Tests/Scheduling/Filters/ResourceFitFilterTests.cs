using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Resources;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class ResourceFitFilterTests
{
    private readonly ResourceFitFilter _filter = new();

    [Fact]
    public void A_replica_that_fits_beside_the_allocations_passes()
    {
        // 4 cores with 2.5 allocated leave 1.5: a 1.5-core replica fills the node exactly.
        var node = Node("node-a", cpus: 4, memoryMb: 4096, allocatedCpu: 2.5, allocatedMemoryMb: 3072);

        var result = _filter.Check(Context(Job(cpu: 1.5, memoryMb: 1024)), node);

        Assert.True(result.Feasible);
        Assert.Empty(result.Shortfalls);
    }

    [Fact]
    public void Too_little_free_cpu_is_refused_with_need_and_free()
    {
        // 2 cores with 1.5 allocated leave 0.5; the replica needs 1.5.
        var node = Node("node-b", cpus: 2, allocatedCpu: 1.5);

        var result = _filter.Check(Context(Job(cpu: 1.5)), node);

        Assert.False(result.Feasible);
        Assert.Equal(RejectionReasons.InsufficientCpu, result.Reason);
        Assert.Equal("insufficient cpu: need 1.5, free 0.5", result.Detail);
        var shortfall = Assert.Single(result.Shortfalls);
        Assert.Equal(new ResourceShortfall("cpu", 1.5, 0.5, 2), shortfall);
    }

    [Fact]
    public void Too_little_free_memory_is_refused_with_megabytes()
    {
        // 1024 MB with 960 allocated leave 64; the replica needs 128.
        var node = Node("node-a", memoryMb: 1024, allocatedMemoryMb: 960);

        var result = _filter.Check(Context(Job(memoryMb: 128)), node);

        Assert.Equal(RejectionReasons.InsufficientMemory, result.Reason);
        Assert.Equal("insufficient memory: need 128 MB, free 64 MB", result.Detail);
        Assert.Equal(new ResourceShortfall("memory", 128, 64, 1024), Assert.Single(result.Shortfalls));
    }

    [Fact]
    public void Both_shortfalls_are_kept_and_cpu_is_the_reason()
    {
        var node = Node("node-a", cpus: 1, memoryMb: 512, allocatedCpu: 1, allocatedMemoryMb: 512);

        var result = _filter.Check(Context(Job(cpu: 0.25, memoryMb: 64)), node);

        Assert.Equal(RejectionReasons.InsufficientCpu, result.Reason);
        Assert.Equal("insufficient cpu: need 0.25, free 0; insufficient memory: need 64 MB, free 0 MB", result.Detail);
        Assert.Equal(["cpu", "memory"], result.Shortfalls.Select(s => s.Resource));
    }

    [Fact]
    public void Floating_point_sums_that_fill_the_node_exactly_still_fit()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in binary; the free 0.7 must still take a 0.7 replica on a 1-core node.
        var node = Node("node-a", cpus: 1, allocatedCpu: 0.1 + 0.2);

        var result = _filter.Check(Context(Job(cpu: 0.7)), node);

        Assert.True(result.Feasible);
    }
}
