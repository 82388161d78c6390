namespace Orchestrator.Abstractions.Scheduling;

/// <summary>
/// The short classes a node is rejected for, by a scheduler's filter or by the node itself when it refuses a
/// reservation: what <see cref="NodeRejection.Reason"/> holds and <see cref="PlacementExplanation.Summary"/> counts
/// ("2 insufficient cpu"), so they are fixed strings, never built from numbers.
/// </summary>
public static class RejectionReasons
{
    public const string NodeDown = "node down";
    public const string NodeDraining = "node draining";
    public const string ConstraintMismatch = "constraint mismatch";
    public const string InsufficientCpu = "insufficient cpu";
    public const string InsufficientMemory = "insufficient memory";
    public const string PortInUse = "port in use";
    /// <summary>The job asks for <c>distinctNodes</c> and the node already runs one of its replicas.</summary>
    public const string ReplicaOnNode = "replica already on node";
    public const string Excluded = "excluded";
    /// <summary>The node's engine does not answer: the node takes no reservation until it does.</summary>
    public const string EngineNotAnswering = "engine not answering";
    /// <summary>The reservation's cpu or memory is not finite and positive.</summary>
    public const string InvalidReservation = "invalid reservation";
    /// <summary>The task could not reach the node to ask it.</summary>
    public const string NodeUnreachable = "node unreachable";
    /// <summary>A node of an earlier version refused with its words alone, without a class.</summary>
    public const string RefusedByNode = "refused by node";
}
