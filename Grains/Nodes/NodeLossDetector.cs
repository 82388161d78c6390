using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Turns Orleans' verdict on a silo into the orchestrator's verdict on its machine: when the cluster
/// declares a silo dead and no other live silo carries its node name, the node is marked Down and its
/// tasks are replaced elsewhere. A silo restarted before its old self was declared dead shares the
/// name with a live member (or with the silo looking), so that is a restart (its containers are
/// adopted), not a loss.
/// Every silo runs one; marking a node Down is idempotent.
/// </summary>
public sealed partial class NodeLossDetector(
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    ILogger<NodeLossDetector> logger) : BackgroundService
{
    private readonly HashSet<SiloAddress> _handled = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var lost in LostNodes(snapshot))
                {
                    foreach (var node in await NodesOfAsync(lost.Name))
                    {
                        await MarkDownAsync(node, lost.SiloAddress, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Silo shutting down.
        }
    }

    private IEnumerable<ClusterMember> LostNodes(ClusterMembershipSnapshot snapshot)
    {
        var alive = snapshot.Members.Values
            .Where(m => m.Status is SiloStatus.Created or SiloStatus.Joining or SiloStatus.Active)
            .Select(m => m.Name)
            .Append(localSilo.Name)
            .ToHashSet(StringComparer.Ordinal);
        return snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead && !string.IsNullOrEmpty(m.Name) && !alive.Contains(m.Name) && _handled.Add(m.SiloAddress));
    }

    /// <summary>The silo's own node and any simulated nodes it hosted (<see cref="NodeNames"/>).</summary>
    private async Task<IEnumerable<string>> NodesOfAsync(string silo)
    {
        try
        {
            var known = await grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
            return known.Select(n => n.Name).Where(n => NodeNames.SiloOf(n) == silo).Append(silo).Distinct(StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The directory may be moving with the dead silo's grains; the node named after the silo is the one that always exists.
            LogListFailed(e, silo);
            return [silo];
        }
    }

    private async Task MarkDownAsync(string node, SiloAddress silo, CancellationToken cancellationToken)
    {
        var reason = $"node {node} lost: its silo {silo} was declared dead at {DateTimeOffset.UtcNow:O}";
        for (var attempt = 1; attempt <= 5 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).MarkDownAsync(node, reason);
                LogNodeLost(node, silo);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogMarkDownFailed(e, node, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} is down: silo {Silo} was declared dead")]
    private partial void LogNodeLost(string node, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the nodes of silo {Silo}; marking only its own node down")]
    private partial void LogListFailed(Exception exception, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark node {Node} down (attempt {Attempt})")]
    private partial void LogMarkDownFailed(Exception exception, string node, int attempt);
}
