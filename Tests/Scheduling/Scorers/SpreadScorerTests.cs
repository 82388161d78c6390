using Orchestrator.Grains.Scheduling.Scorers;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Scorers;

public sealed class SpreadScorerTests
{
    private readonly SpreadScorer _scorer = new();

    [Fact]
    public void The_emptier_node_scores_higher()
    {
        // Job 1 core, 1024 MB on 4-core, 4096 MB nodes.
        // node-a (2 cores, 2048 MB allocated): 100 * ((1 - 0.75) + (1 - 0.75)) / 2 = 25.
        // node-b (empty):                      100 * ((1 - 0.25) + (1 - 0.25)) / 2 = 75.
        var fuller = Node("node-a", allocatedCpu: 2, allocatedMemoryMb: 2048);
        var emptier = Node("node-b");

        var raw = _scorer.Score(Context(Job(cpu: 1, memoryMb: 1024)), [fuller, emptier]);

        Assert.Equal([25, 75], _scorer.Normalize(raw.Select(r => r.Value).ToList()));
    }

    [Fact]
    public void The_tie_break_is_the_count_of_the_same_jobs_tasks()
    {
        var withOwnReplica = Node("node-a", allocatedCpu: 1) with { TasksByJob = new Dictionary<string, int> { ["web"] = 1 } };
        var withOtherJob = Node("node-b", allocatedCpu: 1) with { TasksByJob = new Dictionary<string, int> { ["db"] = 1 } };

        var raw = _scorer.Score(Context(Job(name: "web")), [withOwnReplica, withOtherJob]);

        Assert.Equal(raw[0].Value, raw[1].Value);
        Assert.Equal(1, raw[0].TieBreak);
        Assert.Equal(0, raw[1].TieBreak);
    }
}
