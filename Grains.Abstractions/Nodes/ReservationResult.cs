using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// The node's answer to a reservation: accepted, or refused with <see cref="Reason"/>, the class the refusal counts
/// under (one of <see cref="RejectionReasons"/>), and <see cref="Detail"/>, the same with its numbers for people
/// (<c>insufficient cpu: need 1.5, free 0.5</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("reservation-result")]
public sealed record ReservationResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Detail,
    [property: Id(2)] string? Reason)
{
    public static ReservationResult Ok { get; } = new(true, null, null);

    public static ReservationResult Refused(string reason, string detail) => new(false, detail, reason);

    /// <summary>
    /// The refusal as a placement explains it. A node of an earlier version sends its words alone (they were
    /// <see cref="Detail"/>'s <c>[Id(1)]</c> before <see cref="Reason"/> was added), so the class falls back to
    /// <see cref="RejectionReasons.RefusedByNode"/>.
    /// </summary>
    public NodeRejection RejectionOn(string node) =>
        new(node, Reason ?? RejectionReasons.RefusedByNode, Detail ?? RejectionReasons.RefusedByNode);
}
