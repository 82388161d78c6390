namespace Orchestrator.Abstractions.Tasks;

/// <summary>What the health checks of a task's current container say.</summary>
public enum HealthStatus
{
    /// <summary>No check has answered yet.</summary>
    Unknown,
    /// <summary>The latest check passed.</summary>
    Healthy,
    /// <summary>The latest check failed, fewer times in a row than the threshold.</summary>
    Failing,
    /// <summary>The checks failed the threshold in a row: the container is stopped and the task restarts per its policy.</summary>
    Unhealthy,
}
