using Docker.DotNet;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Bench.Cluster;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// One job of N replicas submitted through an Orleans client to a silo on PostgreSQL. Done when every task is
/// Running by its own events (the time the task recorded, not the time the poll noticed).
/// </summary>
internal sealed class OrchStarter(IGrainFactory grains, DockerClient docker, string clusterId) : IStarter
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    public string Name => "orch";

    private string ClusterLabel => $"{ContainerLabels.Cluster}={clusterId}";

    public async Task<StartResult> StartAsync(int count, string tag, CancellationToken cancellationToken)
    {
        var job = JobName(tag);
        var began = DateTimeOffset.UtcNow;
        await using var watch = EngineWatch.Start(docker, ClusterLabel, began);
        await grains.GetJob(job).SubmitAsync(BenchJobs.Sleepers(job, count));
        var tasks = await BenchJobs.WaitAsync(grains, job, t => t.Count == count && t.All(x => x.State == TaskState.Running),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), cancellationToken);
        var seconds = (tasks.Max(BenchJobs.RunningSince) - began).TotalSeconds;
        var timeline = await watch.WaitForStartsAsync(count, TimeSpan.FromSeconds(30), cancellationToken);
        return new StartResult(seconds, timeline, began);
    }

    /// <summary>Stops the job (orch removes its containers) and waits for the engine to be clear of this cluster's containers.</summary>
    public async Task RemoveAsync(string tag)
    {
        try
        {
            await grains.GetJob(JobName(tag)).StopAsync().WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is TimeoutException or KeyNotFoundException or OrleansException)
        {
            Progress.Say($"orch: stopping job {JobName(tag)} failed ({e.Message}); removing its containers directly");
        }
        if (!await LabelledContainers.WaitGoneAsync(docker, ClusterLabel, StopTimeout))
        {
            await LabelledContainers.RemoveAsync(docker, ClusterLabel);
        }
    }

    private static string JobName(string tag) => "sleepers-" + tag;
}
