using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Nodes;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// What the node's ledger answers a reservation beside the entries it holds: nothing when it fits, else a refusal
/// whose class is what a placement counts and whose words carry the numbers.
/// </summary>
public sealed class LedgerRefusalTests
{
    private static readonly NodeCapacity Capacity = new(Cpus: 2, MemoryMb: 1024);

    // One live entry of 1.5 cores and 960 MB holding host port 8080, and an ended one that held port 9090.
    private static readonly LedgerEntry[] Entries =
    [
        new() { TaskId = "db-0-aaaaaa", Job = "db", Resources = new ResourceSpec { Cpu = 1.5, MemoryMb = 960 }, HostPorts = [8080] },
        new() { TaskId = "old-0-bbbbbb", Job = "old", Resources = new ResourceSpec { Cpu = 1, MemoryMb = 512 }, HostPorts = [9090], Active = false },
    ];

    [Theory]
    [InlineData(0.5, 64, 0, null, null)]
    [InlineData(0.5, 64, 9090, null, null)]
    [InlineData(0.75, 64, 0, RejectionReasons.InsufficientCpu, "insufficient cpu: need 0.75, free 0.5")]
    [InlineData(0.5, 128, 0, RejectionReasons.InsufficientMemory, "insufficient memory: need 128 MB, free 64 MB")]
    [InlineData(1, 128, 0, RejectionReasons.InsufficientCpu, "insufficient cpu: need 1, free 0.5; insufficient memory: need 128 MB, free 64 MB")]
    [InlineData(0.5, 64, 8080, RejectionReasons.PortInUse, "port in use: host port 8080 already taken on the node")]
    [InlineData(double.NaN, 64, 0, RejectionReasons.InvalidReservation, "invalid reservation: cpu and memory must be finite and positive (got NaN cpu, 64 MB)")]
    [InlineData(0.5, -1, 0, RejectionReasons.InvalidReservation, "invalid reservation: cpu and memory must be finite and positive (got 0.5 cpu, -1 MB)")]
    public void A_reservation_fits_or_is_refused_with_its_class(double cpu, long memoryMb, int hostPort, string? reason, string? detail)
    {
        var reservation = new Reservation("web-0-cccccc", "web", new ResourceSpec { Cpu = cpu, MemoryMb = memoryMb }, hostPort == 0 ? [] : [hostPort]);

        var refusal = Ledger.WhyNot(reservation, Capacity, Entries);

        Assert.Equal((reason, detail), (refusal?.Reason, refusal?.Detail));
    }
}
