namespace Orchestrator.Grains.Tasks;

/// <summary>What a task does about what its node reports of its container.</summary>
public enum ObservationAction
{
    /// <summary>Nothing: the report is what the task knows already, or is stale.</summary>
    None,
    /// <summary>A container of the task runs: the task is Running with it (a start whose answer was lost, a restart of a silo).</summary>
    Adopt,
    /// <summary>The task's container ended (exited, disappeared, unhealthy): its restart policy decides.</summary>
    Ended,
    /// <summary>The task holds a reservation and nothing runs or is due to: start the container now.</summary>
    Start,
    /// <summary>The node holds no reservation for the live task: it moves to another node.</summary>
    Lost,
    /// <summary>The node is pulling the task's image: the task waits, and says so.</summary>
    Pulling,
    /// <summary>The node pulled the task's image: start the container now.</summary>
    Pulled,
    /// <summary>The pull of the task's image failed: the task waits and asks again after a backoff, spending no restart.</summary>
    PullFailed,
}
