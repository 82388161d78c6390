namespace Orchestrator.Client.Connection;

/// <summary>
/// No gateway answered the connection in time: nothing refused it, so a cluster that is slow (a loaded machine, a
/// silo being declared dead) may well answer the next attempt. A timeout, so the command's retries take it up.
/// </summary>
internal sealed class GatewayUnansweredException : TimeoutException
{
    public GatewayUnansweredException()
    {
    }

    public GatewayUnansweredException(string message) : base(message)
    {
    }

    public GatewayUnansweredException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
