using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Activates this machine's node grain (and any simulated ones it hosts) once the silo is up, retrying until it answers: its activation
/// re-adopts the containers left running by an earlier life of this silo. Then it calls the grain again
/// every <see cref="KeepActivePeriod"/>: a node grain deactivated while the silo runs (a state write that
/// failed for good deactivates its grain, so it reads its state again) has no timer left to notice exits
/// or report the node, and nothing else would wake it while no task is placed or stopped there.
/// </summary>
internal sealed partial class NodeStartupService(
    IGrainFactory grains,
    IOptions<NodeOptions> options,
    ILogger<NodeStartupService> logger) : BackgroundService
{
    private static readonly TimeSpan KeepActivePeriod = TimeSpan.FromSeconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(NodeNames.HostedBy(options.Value.NodeName, options.Value.SimulatedNodes).Select(node => KeepActiveAsync(node, stoppingToken)));

    private async Task KeepActiveAsync(string node, CancellationToken stoppingToken)
    {
        var up = false;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetNode(node).StartAsync().WaitAsync(stoppingToken);
                if (!up || failures > 0)
                {
                    LogNodeStarted(node);
                }
                up = true;
                failures = 0;
                await Task.Delay(KeepActivePeriod, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures++;
                LogNodeStartFailed(e, node, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(failures, 5)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is up")]
    private partial void LogNodeStarted(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} did not start (attempt {Attempt}); retrying")]
    private partial void LogNodeStartFailed(Exception exception, string node, int attempt);
}
