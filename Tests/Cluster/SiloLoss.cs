using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Cluster;

/// <summary>What the grain-level tests of node loss on in-process silos share: their half-core jobs, and the death of a silo.</summary>
internal static class SiloLoss
{
    /// <summary>Half-core replicas of the test image, spread unless <paramref name="scheduler"/> says otherwise.</summary>
    public static JobSpec Spec(string name, int replicas, string scheduler = "spread") => new()
    {
        Name = name,
        Image = MainEngine.TestImage,
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = 0.5, MemoryMb = 64 },
        Scheduler = scheduler,
    };

    public static bool Running(IReadOnlyList<TaskInfo> tasks, int count) => tasks.Count(t => t.State == TaskState.Running) == count;

    /// <summary>
    /// Runs four replicas of <c>web</c> on a cluster of two silos, two on each, kills the second silo, and waits (45 s
    /// at most) until four run on the first and the two that ran on the killed one ended Failed, displaced, naming
    /// it, and are no longer the job's; returns the killed node.
    /// </summary>
    public static async Task<string> KillTheSecondAndSeeItsTasksReplacedAsync(GrainTestCluster cluster)
    {
        await cluster.Client.GetJob("web").SubmitAsync(Spec("web", 4));
        var before = await cluster.WaitForTasksAsync("web", t => Running(t, 4));
        var victim = cluster.Nodes[1];
        var lost = before.Where(t => t.Node == victim).Select(t => t.Id).ToHashSet();
        Assert.Equal(2, lost.Count);

        await cluster.KillAsync(victim);

        // A read of the job just after the kill may wait out the client's 30 s response timeout when the job lived on
        // the victim.
        var after = await cluster.WaitForTasksAsync("web", t => Running(t, 4) && t.Where(x => x.State == TaskState.Running).All(x => x.Node != victim), TimeSpan.FromSeconds(45));
        Assert.All(after.Where(t => lost.Contains(t.Id)), t =>
        {
            Assert.Equal(TaskState.Failed, t.State);
            Assert.True(t.Displaced);
            Assert.Contains(victim, t.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(4, (await cluster.Client.GetJob("web").GetAsync())!.LiveTaskIds.Count);
        return victim;
    }
}
