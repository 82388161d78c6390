using Orchestrator.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Activates this machine's node grain (and any simulated ones it hosts) once the silo is up, retrying until it answers: its activation
/// re-adopts the containers left running by an earlier life of this silo.
/// </summary>
internal sealed partial class NodeStartupService(
    IGrainFactory grains,
    IOptions<OrchestratorOptions> options,
    ILogger<NodeStartupService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(NodeNames.HostedBy(options.Value.NodeName, options.Value.SimulatedNodes).Select(node => StartAsync(node, stoppingToken)));

    private async Task StartAsync(string node, CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetNode(node).StartAsync().WaitAsync(stoppingToken);
                LogNodeStarted(node);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNodeStartFailed(e, node, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is up")]
    private partial void LogNodeStarted(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} did not start (attempt {Attempt}); retrying")]
    private partial void LogNodeStartFailed(Exception exception, string node, int attempt);
}
