using System.Collections.Immutable;
using Orchestrator.Grains.Persistence;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// A node's persisted state (<see cref="NodeState"/>: its ledger, whether it drains) and its changes, each of which
/// returns once a write that includes it has committed (<see cref="CoalescingStateWriter{T}"/>). A change to the
/// ledger is told to <c>ledgerChanged</c>, so the node directory hears of it.
/// </summary>
public sealed class NodeStore(IPersistentState<NodeState> state, Action ledgerChanged)
{
    private readonly CoalescingStateWriter<NodeState> _writer = new(state);

    public NodeState State => state.State;

    /// <summary>The task's entry, while it holds its reservation.</summary>
    public LedgerEntry? ActiveEntry(string taskId) =>
        state.State.Ledger.TryGetValue(taskId, out var entry) && entry.Active ? entry : null;

    public async Task ChangeLedgerAsync(Func<ImmutableDictionary<string, LedgerEntry>, ImmutableDictionary<string, LedgerEntry>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        state.State = state.State with { Ledger = change(state.State.Ledger) };
        await _writer.WriteAsync();
        ledgerChanged();
    }

    public async Task ChangeAsync(Func<NodeState, NodeState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        state.State = change(state.State);
        await _writer.WriteAsync();
    }
}
