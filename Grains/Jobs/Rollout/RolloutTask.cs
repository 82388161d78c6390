namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>What the rollout needs to know of one task: its version, whether it still fits the job's spec, and its health.</summary>
public sealed record RolloutTask
{
    public required string Id { get; init; }
    public int Version { get; init; }
    /// <summary>It runs other tasks than the version rolled out, or sits on a node the version's constraints (or a drain) no longer allow.</summary>
    public bool Outdated { get; init; }
    /// <summary>Completed or Failed.</summary>
    public bool Ended { get; init; }
    /// <summary>Ended Completed: its container exited 0, or it was stopped.</summary>
    public bool Completed { get; init; }
    /// <summary>It ended because its node was lost or drained, not by its own doing.</summary>
    public bool Displaced { get; init; }
    /// <summary>Running, Healthy or not.</summary>
    public bool Running { get; init; }
    /// <summary>Running, and Healthy where the job has a health check.</summary>
    public bool Ready { get; init; }
    /// <summary>Since when it has been <see cref="Ready"/>.</summary>
    public DateTimeOffset? ReadySince { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The latest reason it gave (its last transition or failed check), to say why a rollout failed.</summary>
    public string? Reason { get; init; }
}
