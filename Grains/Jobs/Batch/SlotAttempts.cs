using System.Collections.Immutable;

namespace Orchestrator.Grains.Jobs.Batch;

/// <summary>
/// A batch replica slot's reschedules so far: how many, the nodes its tasks failed on (which its next task is never
/// placed on), and the task the last one created, with why (its first event says so, even when it is started again
/// after a crash).
/// </summary>
[GenerateSerializer, Immutable, Alias("slot-attempts")]
public sealed record SlotAttempts
{
    [Id(0)] public int Reschedules { get; init; }
    [Id(1)] public ImmutableList<string> FailedNodes { get; init; } = ImmutableList<string>.Empty;
    [Id(2)] public string? TaskId { get; init; }
    [Id(3)] public string? Why { get; init; }
}
