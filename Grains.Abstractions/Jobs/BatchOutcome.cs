namespace Orchestrator.Abstractions.Jobs;

/// <summary>A batch job's outcome, derived from its replicas' tasks: what <c>orch run --wait</c>, <c>orch ps</c> and the views show.</summary>
[GenerateSerializer, Immutable, Alias("batch-outcome")]
public sealed record BatchOutcome
{
    [Id(0)] public BatchStatus Status { get; init; }
    /// <summary>Replicas whose task ended Completed.</summary>
    [Id(1)] public int Completed { get; init; }
    [Id(2)] public int Replicas { get; init; }
    /// <summary>With <see cref="BatchStatus.Failed"/>: the task that failed for good.</summary>
    [Id(3)] public string? FailedTask { get; init; }
    /// <summary>With <see cref="BatchStatus.Failed"/>: why, with its reschedules.</summary>
    [Id(4)] public string? Reason { get; init; }
}
