using Microsoft.Extensions.Options;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// The one rule deciding that a node is lost, used by the <see cref="NodeLossDetector"/> and by every job's reconcile.
/// A node is lost when its silo (<see cref="NodeNames.SiloOf"/>) has no live member in Orleans membership; a missing
/// heartbeat is not enough, since a node whose engine froze withholds its heartbeat while its silo and containers live.
/// A silo Active for less than <see cref="NodeOptions.NodeRestartGrace"/> declares nothing lost: after a
/// whole-cluster restart every silo is that young and the others are on their way back, while in a steady cluster the
/// older survivors act at once.
/// </summary>
public sealed class NodeLiveness(
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IOptions<NodeOptions> options,
    TimeProvider time) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lock _lock = new();
    private long? _activeSince;
    private MembershipVersion _version = MembershipVersion.MinValue;
    private HashSet<string> _live = new(StringComparer.Ordinal);

    /// <summary>How long this silo has been Active; null before it is.</summary>
    public TimeSpan? ActiveFor => _activeSince is { } since ? time.GetElapsedTime(since) : null;

    /// <summary>The verdict on <paramref name="node"/> from the current membership snapshot.</summary>
    public NodeVerdict Judge(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Judge(node, LiveSilos(), localSilo.Name, ActiveFor, options.Value.NodeRestartGrace);
    }

    /// <summary>The decision itself, from the members the snapshot lists.</summary>
    public static NodeVerdict Judge(string node, IEnumerable<ClusterMember> members, string localSilo, TimeSpan? activeFor, TimeSpan restartGrace) =>
        Judge(node, LiveSilos(members), localSilo, activeFor, restartGrace);

    /// <summary>The names of silos with a live member: any status short of Dead, since a silo still stopping keeps its containers.</summary>
    public static HashSet<string> LiveSilos(IEnumerable<ClusterMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return members
            .Where(m => m.Status is SiloStatus.Created or SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping)
            .Select(m => m.Name)
            .Where(n => !string.IsNullOrEmpty(n))
            .ToHashSet(StringComparer.Ordinal);
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(NodeLiveness), ServiceLifecycleStage.Active, _ =>
        {
            _activeSince = time.GetTimestamp();
            return Task.CompletedTask;
        });
    }

    private static NodeVerdict Judge(string node, HashSet<string> liveSilos, string localSilo, TimeSpan? activeFor, TimeSpan restartGrace)
    {
        var silo = NodeNames.SiloOf(node);
        if (silo == localSilo || liveSilos.Contains(silo))
        {
            return NodeVerdict.Alive;
        }
        return activeFor is { } age && age >= restartGrace ? NodeVerdict.Lost : NodeVerdict.TooSoon;
    }

    /// <summary>Live silo names of the current snapshot, worked out once per membership version: jobs ask for every task they hold.</summary>
    private HashSet<string> LiveSilos()
    {
        var snapshot = membership.CurrentSnapshot;
        lock (_lock)
        {
            if (snapshot.Version != _version)
            {
                _live = LiveSilos(snapshot.Members.Values);
                _version = snapshot.Version;
            }
            return _live;
        }
    }
}
