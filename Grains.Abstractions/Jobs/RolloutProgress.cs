namespace Orchestrator.Abstractions.Jobs;

/// <summary>How far the job's replicas are on its latest version (<c>orch run --wait</c>, <c>orch inspect</c>).</summary>
[GenerateSerializer, Immutable, Alias("rollout-progress")]
public sealed record RolloutProgress
{
    /// <summary>The version being rolled out, or the current one when none is.</summary>
    [Id(0)] public int Version { get; init; }
    [Id(1)] public JobVersionStatus Status { get; init; }
    /// <summary>Replicas running, or starting, the version's tasks.</summary>
    [Id(2)] public int Replaced { get; init; }
    /// <summary>Replicas of the version that counted: Running, and Healthy where there is a health check, for <c>update.minHealthySeconds</c>.</summary>
    [Id(3)] public int Healthy { get; init; }
    /// <summary>Replicas still running an earlier version's tasks.</summary>
    [Id(4)] public int Remaining { get; init; }
    /// <summary>Why the rollout stopped or waits, when it does.</summary>
    [Id(5)] public string? Reason { get; init; }
}
