namespace Orchestrator.Client.Connection;

/// <summary>This client refused a gateway's TLS certificate; the message says why.</summary>
internal sealed class GatewayCertificateRefusedException : Exception
{
    public GatewayCertificateRefusedException()
    {
    }

    public GatewayCertificateRefusedException(string message) : base(message)
    {
    }

    public GatewayCertificateRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
