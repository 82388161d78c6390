namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>A container engine call that failed; the message carries the engine's own words.</summary>
public sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException()
    {
    }

    public ContainerRuntimeException(string message)
        : base(message)
    {
    }

    public ContainerRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ContainerRuntimeException(ContainerRuntimeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public ContainerRuntimeFailure Failure { get; } = ContainerRuntimeFailure.Engine;
}
