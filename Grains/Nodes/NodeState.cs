using System.Collections.Immutable;

namespace Orchestrator.Grains.Nodes;

/// <summary>A node's persisted state: its ledger, and whether it is draining.</summary>
[GenerateSerializer, Immutable, Alias("node-state")]
public sealed record NodeState
{
    [Id(0)] public ImmutableDictionary<string, LedgerEntry> Ledger { get; init; } = ImmutableDictionary<string, LedgerEntry>.Empty;
    [Id(1)] public bool Draining { get; init; }
}
