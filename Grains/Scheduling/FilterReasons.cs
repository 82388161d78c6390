namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// The short classes a node is filtered out for. They are what <c>Summary()</c> counts
/// ("2 insufficient cpu"), so they are fixed strings, never built from numbers.
/// </summary>
public static class FilterReasons
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
}
