using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Resources;
using Xunit;

namespace Orchestrator.Tests.Resources;

/// <summary>
/// The fit arithmetic that the scheduler's filters and the node's ledger share: what one more replica lacks on a
/// node, the class it counts under and the words people read.
/// </summary>
public sealed class ResourceFitTests
{
    [Theory]
    // A 1.5-core, 1024 MB replica fills a node of 4 cores and 4096 MB with 2.5 cores and 3072 MB allocated exactly.
    [InlineData(4, 4096, 2.5, 3072, 1.5, 1024, null, null)]
    // 0.1 + 0.2 allocated is 0.30000000000000004 in binary; the free 0.7 still takes a 0.7 replica.
    [InlineData(1, 1024, 0.30000000000000004, 0, 0.7, 16, null, null)]
    [InlineData(2, 1024, 1.5, 0, 1.5, 16, RejectionReasons.InsufficientCpu, "insufficient cpu: need 1.5, free 0.5")]
    [InlineData(2, 1024, 0, 960, 0.5, 128, RejectionReasons.InsufficientMemory, "insufficient memory: need 128 MB, free 64 MB")]
    [InlineData(1, 512, 1, 512, 0.25, 64, RejectionReasons.InsufficientCpu, "insufficient cpu: need 0.25, free 0; insufficient memory: need 64 MB, free 0 MB")]
    // A node allocated past its capacity (its engine shrank) shows nothing free, not a negative amount.
    [InlineData(1, 512, 1.5, 600, 0.1, 16, RejectionReasons.InsufficientCpu, "insufficient cpu: need 0.1, free 0; insufficient memory: need 16 MB, free 0 MB")]
    // Binary noise in the free cpu does not show.
    [InlineData(1, 1024, 0.50000000001, 0, 0.6, 16, RejectionReasons.InsufficientCpu, "insufficient cpu: need 0.6, free 0.5")]
    public void A_replica_fits_or_is_told_what_it_lacks(
        double cpus, long memoryMb, double allocatedCpu, long allocatedMemoryMb, double cpu, long memory, string? reason, string? detail)
    {
        var shortfalls = ResourceFit.Shortfalls(new ResourceSpec { Cpu = cpu, MemoryMb = memory }, cpus, memoryMb, allocatedCpu, allocatedMemoryMb);

        Assert.Equal(reason, shortfalls.Count == 0 ? null : ResourceFit.ReasonOf(shortfalls));
        Assert.Equal(detail, shortfalls.Count == 0 ? null : ResourceFit.Describe(shortfalls));
    }

    [Fact]
    public void Each_shortfall_keeps_what_is_requested_free_and_there_in_the_resources_own_unit()
    {
        var shortfalls = ResourceFit.Shortfalls(new ResourceSpec { Cpu = 1.5, MemoryMb = 128 }, cpus: 2, memoryMb: 1024, allocatedCpu: 1.5, allocatedMemoryMb: 960);

        Assert.Equal([new ResourceShortfall("cpu", 1.5, 0.5, 2), new ResourceShortfall("memory", 128, 64, 1024)], shortfalls);
    }

    [Theory]
    [InlineData(new[] { 8080 }, new int[0], "")]
    [InlineData(new[] { 8080 }, new[] { 8081 }, "")]
    [InlineData(new[] { 8080 }, new[] { 8080 }, "8080")]
    [InlineData(new[] { 9090, 8080, 8080 }, new[] { 8080, 9090 }, "8080,9090")]
    // Port 0 asks for any free port, which every node has.
    [InlineData(new[] { 0, 0 }, new[] { 0 }, "")]
    public void A_fixed_host_port_is_taken_when_the_node_holds_it_already(int[] wanted, int[] used, string taken)
    {
        Assert.Equal(taken, string.Join(',', ResourceFit.TakenPorts(wanted, used)));
    }

    [Theory]
    [InlineData(new[] { 8080 }, "port in use: host port 8080 already taken on the node")]
    [InlineData(new[] { 8080, 9090 }, "port in use: host ports 8080, 9090 already taken on the node")]
    public void Taken_ports_read_as_one_line(int[] taken, string detail)
    {
        Assert.Equal(detail, ResourceFit.DescribeTakenPorts(taken));
    }
}
