using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Scheduling.Scorers;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Scorers;

public sealed class EpvmScorerTests
{
    private const int Precision = 5;
    private readonly EpvmScorer _scorer = new();

    [Fact]
    public void Marginal_cost_matches_the_hand_computed_example()
    {
        // Two nodes, so the cost base is n = 2. Both have 4 cores and 4096 MB; the job asks 1 core, 1024 MB.
        //   2^0.25 = 1.189207, 2^0.5 = 1.414214, 2^0.75 = 1.681793, 2^1 = 2
        //
        // node-a: 2 cores and 1024 MB allocated, measured load 50 %.
        //   cpu    u 2/4 = 0.50 -> 3/4 = 0.75        2^0.75 - 2^0.5  = 0.267579
        //   memory u 1024/4096 = 0.25 -> 0.50        2^0.5  - 2^0.25 = 0.225006
        //   load   u 0.50 -> 0.50 + 1/4 = 0.75       2^0.75 - 2^0.5  = 0.267579
        //   marginal cost                                            = 0.760165
        //
        // node-b: 1 core and 3072 MB allocated, load unknown (no load term).
        //   cpu    u 0.25 -> 0.50                    2^0.5  - 2^0.25 = 0.225006
        //   memory u 0.75 -> 1.00                    2^1    - 2^0.75 = 0.318207
        //   marginal cost                                            = 0.543214
        //
        // node-b adds less cost, so it scores 100 after normalising and node-a 0.
        var nodeA = Node("node-a", cpus: 4, memoryMb: 4096, allocatedCpu: 2, allocatedMemoryMb: 1024) with
        {
            Stats = new NodeStats { CpuPercent = 50 },
        };
        var nodeB = Node("node-b", cpus: 4, memoryMb: 4096, allocatedCpu: 1, allocatedMemoryMb: 3072);

        var raw = _scorer.Score(Context(Job(cpu: 1, memoryMb: 1024), clusterSize: 2), [nodeA, nodeB]);

        Assert.Equal(0.267579, raw[0].Parts["cpu"], Precision);
        Assert.Equal(0.225006, raw[0].Parts["memory"], Precision);
        Assert.Equal(0.267579, raw[0].Parts["load"], Precision);
        Assert.Equal(0.760165, raw[0].Parts["marginalCost"], Precision);
        Assert.Equal(-0.760165, raw[0].Value, Precision);

        Assert.Equal(0.225006, raw[1].Parts["cpu"], Precision);
        Assert.Equal(0.318207, raw[1].Parts["memory"], Precision);
        Assert.False(raw[1].Parts.ContainsKey("load"));
        Assert.Equal(0.543214, raw[1].Parts["marginalCost"], Precision);

        var normalised = _scorer.Normalize(raw.Select(r => r.Value).ToList());
        Assert.Equal([0, 100], normalised);
    }

    [Fact]
    public void The_cpu_allocation_counts_when_everything_else_is_equal()
    {
        // Same memory, no load figures: only the cpu term differs, and it must not cancel out.
        // base 2, job 0.5 core: node-a 3/4 -> 3.5/4 costs 2^0.875 - 2^0.75 = 0.152,
        // node-b 1/4 -> 1.5/4 costs 2^0.375 - 2^0.25 = 0.108.
        var busy = Node("node-a", allocatedCpu: 3);
        var idle = Node("node-b", allocatedCpu: 1);

        var raw = _scorer.Score(Context(Job(cpu: 0.5)), [busy, idle]);

        Assert.Equal(Math.Pow(2, 0.875) - Math.Pow(2, 0.75), raw[0].Parts["cpu"], Precision);
        Assert.Equal(Math.Pow(2, 0.375) - Math.Pow(2, 0.25), raw[1].Parts["cpu"], Precision);
        Assert.True(raw[1].Value > raw[0].Value);
    }

    [Fact]
    public void A_busier_measured_load_costs_more()
    {
        var hot = Node("node-a") with { Stats = new NodeStats { CpuPercent = 90 } };
        var cool = Node("node-b") with { Stats = new NodeStats { CpuPercent = 10 } };

        var raw = _scorer.Score(Context(Job(cpu: 0.5)), [hot, cool]);

        Assert.True(raw[0].Parts["load"] > raw[1].Parts["load"]);
        Assert.True(raw[1].Value > raw[0].Value);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(5, 5)]
    public void The_cost_base_is_the_node_count_and_at_least_two(int nodes, double expected)
    {
        Assert.Equal(expected, EpvmScorer.CostBase(nodes));
    }
}
