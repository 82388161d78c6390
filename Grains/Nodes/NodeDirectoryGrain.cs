using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// The cluster's view of its nodes. Nodes report on every sweep; the directory writes to storage only
/// when a node appears or its status, capacity or labels change, since allocations are re-reported
/// within seconds after any restart. A node silent for longer than <c>NodeDownAfter</c> reads as Down; that keeps
/// placements off it and shows in <c>orch nodes</c>, but replaces nothing: a silent node may only have a frozen
/// engine, its containers running on. Only a node lost from membership (<see cref="NodeLiveness"/>) has its tasks replaced.
/// </summary>
public sealed partial class NodeDirectoryGrain(
    [PersistentState(StorageNames.NodeDirectoryState, StorageNames.Orchestrator)] IPersistentState<NodeDirectoryState> state,
    IOptions<NodeOptions> options,
    OrchestratorMetrics metrics,
    ILogger<NodeDirectoryGrain> logger) : Grain, INodeDirectoryGrain, IStateInspectableGrain<NodeDirectoryState>
{
    // Heartbeats are kept in memory only; a directory that just moved to another silo (its old silo died) has
    // heard from no one yet, and gives every node one full NodeDownAfter to report before reading it as Down.
    private readonly DateTimeOffset _activatedAt = DateTimeOffset.UtcNow;

    public Task<NodeDirectoryState> GetStateAsync() => Task.FromResult(state.State);

    public async Task ReportAsync(NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var before = state.State;
        var known = before.Nodes.GetValueOrDefault(node.Name);
        state.State = before with { Nodes = before.Nodes.SetItem(node.Name, node) };
        if (known is null || known.Status != node.Status || known.Cpus != node.Cpus || known.MemoryMb != node.MemoryMb
            || !known.Labels.OrderBy(l => l.Key).SequenceEqual(node.Labels.OrderBy(l => l.Key)))
        {
            LogNodeChanged(node.Name, node.Status, node.Cpus, node.MemoryMb);
            await WriteOrRestoreAsync(before);
        }
    }

    public async Task MarkDownAsync(string node, string reason)
    {
        if (state.State.Nodes.TryGetValue(node, out var known) && known.Status != NodeStatus.Down)
        {
            var before = state.State;
            state.State = before with { Nodes = before.Nodes.SetItem(node, known with { Status = NodeStatus.Down, StatusReason = reason }) };
            LogNodeChanged(node, NodeStatus.Down, known.Cpus, known.MemoryMb);
            await WriteOrRestoreAsync(before);
            metrics.NodeLost();
            // Each job finds and replaces its own tasks on the lost node; no one grain walks every task. The notice
            // is only a hint that makes this sooner: each job's own reconcile finds the loss too (NodeLiveness), so a
            // notice lost on the way costs time, not a replica.
            var jobs = await GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync();
            foreach (var job in jobs)
            {
                GrainFactory.GetJob(job).NodeLostAsync(node, reason).Ignore();
            }
        }
    }

    public Task<IReadOnlyList<NodeInfo>> ListAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var downAfter = options.Value.NodeDownAfter;
        IReadOnlyList<NodeInfo> nodes = state.State.Nodes.Values
            .Select(n => n.Status != NodeStatus.Down && now - Max(n.LastHeartbeat, _activatedAt) > downAfter
                ? n with { Status = NodeStatus.Down, StatusReason = n.StatusReason ?? $"no heartbeat since {n.LastHeartbeat:O}" }
                : n)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult(nodes);
    }

    /// <summary>
    /// Writes the state, or on failure puts memory back as it was: a change that did not reach storage must not look
    /// done, or the caller's retry (a node marked Down again) would find nothing left to do and storage would never get it.
    /// </summary>
    private async Task WriteOrRestoreAsync(NodeDirectoryState before)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is {Status} with {Cpus} CPUs and {MemoryMb} MB")]
    private partial void LogNodeChanged(string node, NodeStatus status, double cpus, long memoryMb);
}
