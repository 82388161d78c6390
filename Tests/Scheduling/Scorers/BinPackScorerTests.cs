using Orchestrator.Grains.Scheduling.Scorers;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Scorers;

public sealed class BinPackScorerTests
{
    private readonly BinPackScorer _scorer = new();

    [Fact]
    public void The_fuller_node_scores_higher()
    {
        // Job 1 core, 1024 MB on 4-core, 4096 MB nodes.
        // node-a (2 cores, 2048 MB allocated): after 3/4 and 3072/4096 -> 100 * (0.75 + 0.75) / 2 = 75.
        // node-b (empty):                      after 1/4 and 1024/4096 -> 100 * (0.25 + 0.25) / 2 = 25.
        var fuller = Node("node-a", allocatedCpu: 2, allocatedMemoryMb: 2048);
        var emptier = Node("node-b");

        var raw = _scorer.Score(Context(Job(cpu: 1, memoryMb: 1024)), [fuller, emptier]);
        var normalised = _scorer.Normalize(raw.Select(r => r.Value).ToList());

        Assert.Equal([75, 25], normalised);
        Assert.Equal(0.75, raw[0].Parts["cpu"]);
        Assert.Equal(0.75, raw[0].Parts["memory"]);
    }

    [Fact]
    public void Cpu_and_memory_weigh_the_same()
    {
        // node-a: cpu after 4/4, memory after 1024/4096 -> 62.5; node-b: cpu 1/4, memory 4096/4096 -> 62.5.
        var cpuHeavy = Node("node-a", allocatedCpu: 3);
        var memoryHeavy = Node("node-b", allocatedMemoryMb: 3072);

        var raw = _scorer.Score(Context(Job(cpu: 1, memoryMb: 1024)), [cpuHeavy, memoryHeavy]);

        Assert.Equal(62.5, raw[0].Value);
        Assert.Equal(62.5, raw[1].Value);
    }
}
