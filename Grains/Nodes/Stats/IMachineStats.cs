using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes.Stats;

/// <summary>
/// Measures the machine a node runs on. A figure it cannot read is null, never a guess, and sampling
/// never throws: a node without /proc still works, it just reports less.
/// </summary>
public interface IMachineStats
{
    /// <summary>The machine's figures now; CPU % covers the time since the previous sample.</summary>
    NodeStats Sample();
}
