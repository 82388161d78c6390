using System.Collections.Immutable;

namespace Orchestrator.Grains.Nodes;

/// <summary>A node's persisted state: its ledger, and whether (and until when) it is draining.</summary>
[GenerateSerializer, Immutable, Alias("node-state")]
public sealed record NodeState
{
    [Id(0)] public ImmutableDictionary<string, LedgerEntry> Ledger { get; init; } = ImmutableDictionary<string, LedgerEntry>.Empty;
    [Id(1)] public bool Draining { get; init; }
    /// <summary>When a drain stops what its jobs have not moved yet; none stops them at once.</summary>
    [Id(2)] public DateTimeOffset? DrainDeadline { get; init; }
}
