namespace Orchestrator.Grains.Nodes.Placement;

/// <summary>No active silo carries the node's name: the machine is down or not yet joined.</summary>
[GenerateSerializer, Alias("node-unavailable-exception")]
public sealed class NodeUnavailableException : Exception
{
    public NodeUnavailableException(string node) : base($"node {node} has no active silo")
    {
    }

    public NodeUnavailableException()
    {
    }

    public NodeUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
