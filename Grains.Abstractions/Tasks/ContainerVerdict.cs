namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// A task's answer to its node's report about the task's container: what the node should do with the
/// reservation and the container. The node acts on it only if nothing changed for the task since it reported.
/// </summary>
public enum ContainerVerdict
{
    /// <summary>The task claims the reservation and the container (or will start one): leave both.</summary>
    Keep,
    /// <summary>The task ended and keeps the container for its logs: stop it and free the reservation.</summary>
    Release,
    /// <summary>The task does not claim this reservation (it never was, lives elsewhere, or was moved off): remove both.</summary>
    Remove,
}
