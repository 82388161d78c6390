using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Turns Orleans' verdict on a silo into the orchestrator's verdict on its machines: every silo whose nodes
/// <see cref="NodeLiveness"/> finds lost has them marked Down in the node directory, which tells their jobs.
/// It is level-triggered: membership is judged again on every change and every <see cref="NodeOptions.NodeLossCheckInterval"/>,
/// and a silo counts as handled only once all its nodes were marked Down, so a failed attempt is simply made again.
/// Every silo runs one; marking a node Down is idempotent. The jobs' own reconcile applies the same rule, so the
/// notice sent from here only makes a replacement sooner, and nothing is lost when it is.
/// </summary>
public sealed partial class NodeLossDetector(
    IClusterMembershipService membership,
    NodeLiveness liveness,
    IGrainFactory grains,
    IOptions<NodeOptions> options,
    ILogger<NodeLossDetector> logger) : BackgroundService
{
    /// <summary>Silos whose nodes are marked Down; one that is live again is forgotten, so a later loss is handled anew.</summary>
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var watching = WatchAsync(changed.Writer, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await CheckAsync(stoppingToken);
                await WaitAsync(changed.Reader, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Silo shutting down.
        }
        await watching;
    }

    private async Task WatchAsync(ChannelWriter<bool> changed, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                changed.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Silo shutting down.
        }
    }

    /// <summary>Until membership changes or the check interval passes, whichever is first.</summary>
    private async Task WaitAsync(ChannelReader<bool> changed, CancellationToken stoppingToken)
    {
        using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        interval.CancelAfter(options.Value.NodeLossCheckInterval);
        try
        {
            await changed.WaitToReadAsync(interval.Token);
            changed.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The interval passed: judge the same snapshot again, since this silo may have outgrown its restart grace.
        }
    }

    private async Task CheckAsync(CancellationToken stoppingToken)
    {
        var dead = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead && !string.IsNullOrEmpty(m.Name))
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
        var lost = dead.Where(silo => liveness.Judge(silo) == NodeVerdict.Lost).ToHashSet(StringComparer.Ordinal);
        _handled.IntersectWith(lost);
        foreach (var silo in lost.Where(s => !_handled.Contains(s)))
        {
            stoppingToken.ThrowIfCancellationRequested();
            if (await MarkDownAsync(silo))
            {
                _handled.Add(silo);
            }
        }
    }

    /// <summary>Marks down the silo's own node and any simulated nodes it hosted (<see cref="NodeNames"/>); false if any call failed.</summary>
    private async Task<bool> MarkDownAsync(string silo)
    {
        var directory = grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);
        try
        {
            var known = await directory.ListAsync();
            var nodes = known.Select(n => n.Name).Where(n => NodeNames.SiloOf(n) == silo).Append(silo).Distinct(StringComparer.Ordinal);
            var reason = $"node lost: its silo {silo} has no live member in the cluster (seen {DateTimeOffset.UtcNow:O})";
            foreach (var node in nodes)
            {
                await directory.MarkDownAsync(node, reason);
                LogNodeLost(node, silo);
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The directory may be moving with the dead silo's grains, or storage be away: the next check tries again.
            LogMarkDownFailed(e, silo, options.Value.NodeLossCheckInterval.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} is down: silo {Silo} has no live member")]
    private partial void LogNodeLost(string node, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark the nodes of lost silo {Silo} down; trying again within {Seconds} s")]
    private partial void LogMarkDownFailed(Exception exception, string silo, double seconds);
}
