namespace Orchestrator.Abstractions.Tasks;

/// <summary>The health of one container of a task, as its node last reported it.</summary>
[GenerateSerializer, Immutable, Alias("task-health")]
public sealed record TaskHealth
{
    [Id(0)] public HealthStatus Status { get; init; }
    /// <summary>Checks failed in a row up to now.</summary>
    [Id(1)] public int ConsecutiveFailures { get; init; }
    /// <summary>What the latest failed check said, e.g. "http GET /missing returned 404".</summary>
    [Id(2)] public string? LastFailure { get; init; }
    /// <summary>When the check this report is about answered (UTC).</summary>
    [Id(3)] public DateTimeOffset CheckedAt { get; init; }
    /// <summary>The container the checks ran against.</summary>
    [Id(4)] public string? ContainerId { get; init; }
}
