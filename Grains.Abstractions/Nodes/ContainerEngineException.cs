namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// The node's container engine answered, and refused (an unknown image, a port taken, a bad command): the
/// message carries the engine's own words. The node removed whatever it had created for the attempt.
/// </summary>
/// <remarks>
/// The node raises this in place of its runtime's exceptions, whose types (and inner exceptions from the
/// Docker client) other silos and clients cannot deserialize; for the same reason it carries no inner exception.
/// </remarks>
[GenerateSerializer, Alias("container-engine-exception")]
public sealed class ContainerEngineException : Exception
{
    public ContainerEngineException()
    {
    }

    public ContainerEngineException(string message) : base(message)
    {
    }

    public ContainerEngineException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
