using System.Collections.Immutable;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes;

/// <summary>The node directory's persisted state: the last report of every node ever seen.</summary>
[GenerateSerializer, Immutable, Alias("node-directory-state")]
public sealed record NodeDirectoryState
{
    [Id(0)] public ImmutableDictionary<string, NodeInfo> Nodes { get; init; } = ImmutableDictionary<string, NodeInfo>.Empty;
}
