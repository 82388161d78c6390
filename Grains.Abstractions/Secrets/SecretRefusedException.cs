namespace Orchestrator.Abstractions.Secrets;

/// <summary>
/// A secret operation the cluster's state does not allow: the secret exists already, a live job uses it, or the silo
/// has no cluster key. The message says which (orch: exit 1, the API: 409).
/// </summary>
[GenerateSerializer, Alias("secret-refused-exception")]
public sealed class SecretRefusedException : Exception
{
    public SecretRefusedException()
    {
    }

    public SecretRefusedException(string message) : base(message)
    {
    }

    public SecretRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
