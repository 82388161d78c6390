namespace Orchestrator.Operations.Cluster;

/// <summary>The job, task or node asked for does not exist; the message names it (orch: exit 1, the API: 404).</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message) : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
