namespace Orchestrator.Abstractions.Nodes;

/// <summary>The node's answer to a reservation: accepted, or refused with the reason (e.g. insufficient cpu).</summary>
[GenerateSerializer, Immutable, Alias("reservation-result")]
public sealed record ReservationResult([property: Id(0)] bool Accepted, [property: Id(1)] string? Reason)
{
    public static ReservationResult Ok { get; } = new(true, null);

    public static ReservationResult Refused(string reason) => new(false, reason);
}
