using Orchestrator.Abstractions.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes.Stats;

/// <summary>A node's sweeps carry this machine's figures into the node directory that <c>orch nodes</c> reads.</summary>
public sealed class NodeStatsReportingTests
{
    [Fact]
    public async Task The_node_directory_lists_the_machine_figures_each_sweep_measured()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var directory = cluster.Client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);

        // The first report may come before any CPU delta; a later sweep (every 200 ms here) has one.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        NodeStats? stats = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            stats = (await directory.ListAsync()).SingleOrDefault(n => n.Name == cluster.Node)?.Stats;
            if (stats?.CpuPercent is not null)
            {
                break;
            }
            await Task.Delay(100);
        }

        Assert.NotNull(stats);
        Assert.InRange(stats.CpuPercent ?? -1, 0, 100);
        Assert.True(stats.MemoryTotalMb > 0, "memory total should come from /proc/meminfo");
        Assert.NotNull(stats.Load1);
    }
}
