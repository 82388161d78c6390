using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Operations.Cluster;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// Reads the cluster for the gauges every <see cref="Interval"/>, in the background: a scrape only reads the latest
/// figures, and never waits on a grain. While nobody has read the gauges for a while, it reads nothing.
/// </summary>
internal sealed partial class ClusterGaugesRefresher(IGrainFactory grains, OrchestratorMetrics metrics, ILogger<ClusterGaugesRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (metrics.GaugesWanted)
            {
                try
                {
                    metrics.Update(await ReadAsync(grains));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The silo still starting, the database down: the gauges keep their last figures and the next tick tries again.
                    LogReadFailed(e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static async Task<ClusterGauges> ReadAsync(IGrainFactory grains)
    {
        var nodes = ClusterReader.ListNodesAsync(grains);
        var jobs = await ClusterReader.ListJobsAsync(grains);
        var tasks = await ClusterReader.GetTasksAsync(grains, jobs.Where(j => j.Status != JobStatus.Stopped).SelectMany(j => j.LiveTaskIds));
        return ClusterGauges.From(await nodes, jobs, tasks);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the cluster for the metrics' gauges; trying again in a moment")]
    private partial void LogReadFailed(Exception exception);
}
