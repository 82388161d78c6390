using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>Everything a sweep decides from: what the engine runs, what the ledger claims, and what is in flight.</summary>
public sealed record SweepInput
{
    /// <summary>The node's containers as the engine listed them.</summary>
    public required IReadOnlyList<ContainerDetails> Containers { get; init; }

    /// <summary>The ledger, task id → entry.</summary>
    public required IReadOnlyDictionary<string, LedgerEntry> Ledger { get; init; }

    /// <summary>
    /// Tasks with a start or removal in flight, or changed since the list was taken: what the list says of
    /// them may already be false, so the sweep leaves them to the next one.
    /// </summary>
    public IReadOnlySet<string> Busy { get; init; } = new HashSet<string>();

    /// <summary>What each task has acknowledged recently; older acknowledgements are left out, so the node reports again.</summary>
    public IReadOnlyDictionary<string, ReportedState> Acknowledged { get; init; } = new Dictionary<string, ReportedState>();

    /// <summary>Task → the container the node judged unhealthy.</summary>
    public IReadOnlyDictionary<string, string> Unhealthy { get; init; } = new Dictionary<string, string>();

    /// <summary>Task → the container whose health checks run.</summary>
    public IReadOnlyDictionary<string, string> Watching { get; init; } = new Dictionary<string, string>();

    /// <summary>Task → where the pull of its image stands, while it waits for one.</summary>
    public IReadOnlyDictionary<string, ImagePull> Pulls { get; init; } = new Dictionary<string, ImagePull>();

    /// <summary>The node drains and its deadline passed: every task still here is stopped, so its job places it elsewhere.</summary>
    public bool DrainDeadlinePassed { get; init; }

    /// <summary>The node's generation when the list was taken; every report of this sweep carries it.</summary>
    public long Generation { get; init; }
}
