using CsCheck;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>
/// Random bursts of concurrent reservations against a real node grain: whatever the interleaving, the
/// node never overcommits CPU, memory or a host port, and never refuses one that would still fit.
/// </summary>
public sealed class NodeLedgerPropertyTests
{
    private const double Cpus = 2;
    private const long MemoryMb = 1024;

    private static readonly Gen<(double Cpu, long MemoryMb, int Port)> OneReservation =
        Gen.Select(Gen.Int[1, 150], Gen.Long[6, 600], Gen.OneOf(Gen.Const(0), Gen.Const(0), Gen.Const(0), Gen.Const(8080), Gen.Const(8081)),
            (centiCpu, memory, port) => (centiCpu / 100.0, memory, port));

    [Fact]
    public async Task No_interleaving_of_concurrent_reservations_overcommits_a_node()
    {
        // No task claims these reservations, and the node's sweep reclaims what no task claims: it stays out of the way here.
        await using var cluster = await GrainTestCluster.StartAsync(cpus: Cpus, memoryMb: MemoryMb, sweepInterval: TimeSpan.FromHours(1));
        var node = cluster.Client.GetNode(cluster.Node);
        var round = 0;

        await OneReservation.Array[1, 40].SampleAsync(async burst =>
        {
            round++;
            var reservations = burst.Select((r, i) => new Reservation(
                $"t{round}-{i}-x", "prop", new ResourceSpec { Cpu = r.Cpu, MemoryMb = r.MemoryMb }, r.Port == 0 ? [] : new[] { r.Port })).ToArray();

            var results = await Task.WhenAll(reservations.Select(node.ReserveAsync));

            var accepted = reservations.Where((_, i) => results[i].Accepted).ToList();
            var refused = reservations.Where((_, i) => !results[i].Accepted).ToList();
            Assert.True(accepted.Sum(r => r.Resources.Cpu) <= Cpus + 1e-9, $"cpu overcommitted: {accepted.Sum(r => r.Resources.Cpu)}");
            Assert.True(accepted.Sum(r => r.Resources.MemoryMb) <= MemoryMb, "memory overcommitted");
            var ports = accepted.SelectMany(r => r.HostPorts).ToList();
            Assert.Equal(ports.Count, ports.Distinct().Count());
            // Resources only shrink during a burst, so a reservation refused then must not fit now either.
            var ledger = accepted.Select(r => new LedgerEntry { TaskId = r.TaskId, Job = r.Job, Resources = r.Resources, HostPorts = r.HostPorts }).ToList();
            Assert.All(refused, r => Assert.NotNull(Ledger.WhyNot(r, new NodeCapacity(Cpus, MemoryMb), ledger)));
            var info = await node.GetInfoAsync();
            Assert.Equal(accepted.Sum(r => r.Resources.Cpu), info.AllocatedCpu, 6);

            await Task.WhenAll(accepted.Select(r => node.RemoveAsync(r.TaskId)));
        }, iter: 40, threads: 1);
    }
}
