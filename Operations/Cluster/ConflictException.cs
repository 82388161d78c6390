namespace Orchestrator.Operations.Cluster;

/// <summary>The thing asked about exists, but its state does not allow what was asked; the message says why (orch: exit 1, the API: 409).</summary>
public sealed class ConflictException : Exception
{
    public ConflictException()
    {
    }

    public ConflictException(string message) : base(message)
    {
    }

    public ConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
