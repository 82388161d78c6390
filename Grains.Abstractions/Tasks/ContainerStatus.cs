namespace Orchestrator.Abstractions.Tasks;

/// <summary>The coarse state of a container as the node sees it.</summary>
public enum ContainerStatus
{
    /// <summary>The container is running.</summary>
    Running,
    /// <summary>The container ended; its exit code is known.</summary>
    Exited,
    /// <summary>There is no container for the task on its node (removed, never started, or the engine lost it).</summary>
    Missing,
    /// <summary>A health check failed its threshold.</summary>
    Unhealthy,
    /// <summary>The node holds no reservation for the task at all.</summary>
    NotReserved,
    /// <summary>No container yet: the node is pulling the task's image.</summary>
    Pulling,
    /// <summary>No container yet: the node pulled the task's image, and creates the container when asked to start it.</summary>
    Pulled,
    /// <summary>No container: the pull of the task's image failed; the detail carries the engine's or registry's reason.</summary>
    PullFailed,
}
