using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Secrets;

/// <summary>A secret's name or value breaks a rule (<see cref="SecretRules"/>); nothing was stored (orch: exit 2, the API: 400).</summary>
[GenerateSerializer, Alias("invalid-secret-exception")]
public sealed class InvalidSecretException : Exception
{
    public InvalidSecretException(SpecError error)
        : base($"invalid secret: {error}")
    {
        Error = error;
    }

    public InvalidSecretException()
    {
    }

    public InvalidSecretException(string message) : base(message)
    {
    }

    public InvalidSecretException(string message, Exception innerException) : base(message, innerException)
    {
    }

    [Id(0)] public SpecError? Error { get; private set; }
}
