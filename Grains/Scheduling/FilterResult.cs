using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Resources;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// A filter's verdict on one node. A node that does not fit is an ordinary answer, not an error:
/// <see cref="Reason"/> is one of <see cref="RejectionReasons"/>, <see cref="Detail"/> carries the
/// numbers for people, <see cref="Shortfalls"/> the same numbers for code.
/// </summary>
public sealed record FilterResult
{
    public static FilterResult Pass { get; } = new();

    public string? Reason { get; init; }
    public string? Detail { get; init; }
    public IReadOnlyList<ResourceShortfall> Shortfalls { get; init; } = [];

    public bool Feasible => Reason is null;

    public static FilterResult Reject(string reason, string detail) => new() { Reason = reason, Detail = detail };
}
