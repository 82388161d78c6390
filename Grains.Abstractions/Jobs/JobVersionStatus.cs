namespace Orchestrator.Abstractions.Jobs;

/// <summary>Where one version of a job stands (<c>orch history</c>).</summary>
public enum JobVersionStatus
{
    /// <summary>The version the job's replicas run, fully healthy.</summary>
    Current,
    /// <summary>Being rolled out: some replicas still run an earlier version or are not counted yet.</summary>
    Rolling,
    /// <summary>A later version replaced it.</summary>
    Superseded,
    /// <summary>Its rollout failed and stopped where it was.</summary>
    Failed,
    /// <summary>Its rollout failed and the job rolled back to the last healthy version.</summary>
    Reverted,
}
