using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Resources;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// The arithmetic of a node's ledger: what is allocated and whether a reservation still fits (<see cref="ResourceFit"/>,
/// as the scheduler's filters reckon it). Pure, so that "never overcommit" can be tested on its own.
/// </summary>
public static class Ledger
{
    public static double AllocatedCpu(IEnumerable<LedgerEntry> entries) => entries.Where(e => e.Active).Sum(e => e.Resources.Cpu);

    public static long AllocatedMemoryMb(IEnumerable<LedgerEntry> entries) => entries.Where(e => e.Active).Sum(e => e.Resources.MemoryMb);

    /// <summary>Null when <paramref name="reservation"/> fits beside the active entries, else the node's refusal.</summary>
    public static ReservationResult? WhyNot(Reservation reservation, NodeCapacity capacity, IReadOnlyCollection<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(reservation.Resources);
        if (!double.IsFinite(reservation.Resources.Cpu) || reservation.Resources.Cpu <= 0 || reservation.Resources.MemoryMb <= 0)
        {
            return ReservationResult.Refused(
                RejectionReasons.InvalidReservation,
                $"{RejectionReasons.InvalidReservation}: cpu and memory must be finite and positive (got {reservation.Resources.Cpu} cpu, {reservation.Resources.MemoryMb} MB)");
        }
        var active = entries.Where(e => e.Active && e.TaskId != reservation.TaskId).ToList();
        var shortfalls = ResourceFit.Shortfalls(reservation.Resources, capacity.Cpus, capacity.MemoryMb, AllocatedCpu(active), AllocatedMemoryMb(active));
        if (shortfalls.Count > 0)
        {
            return ReservationResult.Refused(ResourceFit.ReasonOf(shortfalls), ResourceFit.Describe(shortfalls));
        }
        var taken = ResourceFit.TakenPorts(reservation.HostPorts, active.SelectMany(e => e.HostPorts).ToHashSet());
        if (taken.Count > 0)
        {
            return ReservationResult.Refused(RejectionReasons.PortInUse, ResourceFit.DescribeTakenPorts(taken));
        }
        // The scheduler's view may be a moment old, and replicas of one job place themselves at once: the node settles it.
        return reservation.DistinctNodes && active.Any(e => e.Job == reservation.Job)
            ? ReservationResult.Refused(RejectionReasons.ReplicaOnNode, $"{RejectionReasons.ReplicaOnNode}: distinctNodes, and the node runs a replica of {reservation.Job}")
            : null;
    }

    /// <summary>The node as the scheduler sees it.</summary>
    public static NodeInfo Describe(string name, NodeCapacity capacity, NodeState state, IReadOnlyDictionary<string, string> labels, NodeStats stats)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(state);
        var active = state.Ledger.Values.Where(e => e.Active).ToList();
        return new NodeInfo
        {
            Name = name,
            Status = state.Draining ? NodeStatus.Draining : NodeStatus.Ready,
            StatusReason = state.DrainDeadline is { } deadline ? $"deadline {deadline:u}" : null,
            Cpus = capacity.Cpus,
            MemoryMb = capacity.MemoryMb,
            AllocatedCpu = Math.Round(AllocatedCpu(active), 6),
            AllocatedMemoryMb = AllocatedMemoryMb(active),
            Tasks = active.Count,
            Labels = labels,
            LastHeartbeat = DateTimeOffset.UtcNow,
            Stats = stats,
            UsedHostPorts = active.SelectMany(e => e.HostPorts).Distinct().Order().ToArray(),
            TasksByJob = active.GroupBy(e => e.Job, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };
    }

    /// <summary>A job's resources as a reservation.</summary>
    public static Reservation For(string taskId, string job, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Reservation(taskId, job, spec.Resources, spec.Ports.Where(p => p.Host != 0).Select(p => p.Host).ToArray(), spec.DistinctNodes);
    }
}
