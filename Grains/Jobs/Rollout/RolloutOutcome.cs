namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>What became of the version being rolled out, this pass.</summary>
public enum RolloutOutcome
{
    /// <summary>Nothing new: still rolling, or nothing to roll.</summary>
    None,
    /// <summary>Every replica runs the version and counted: it is the current version now.</summary>
    Healthy,
    /// <summary>A new replica failed or was not healthy in time; the rollout stops where it is.</summary>
    Failed,
    /// <summary>As <see cref="Failed"/>, and the job rolls back to <see cref="RolloutInput.LastHealthy"/>.</summary>
    Revert,
}
