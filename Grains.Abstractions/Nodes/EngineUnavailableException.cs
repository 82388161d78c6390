namespace Orchestrator.Abstractions.Nodes;

/// <summary>
/// The node's container engine did not answer (timed out or unreachable), so the node could not do what
/// it was asked. A fault of the machine, not of the task: the task goes to another node instead of
/// spending a restart.
/// </summary>
[GenerateSerializer, Alias("engine-unavailable-exception")]
public sealed class EngineUnavailableException : Exception
{
    public EngineUnavailableException()
    {
    }

    public EngineUnavailableException(string message) : base(message)
    {
    }

    public EngineUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
