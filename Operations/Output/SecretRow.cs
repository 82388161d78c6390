using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Operations.Output;

/// <summary>One secret as <c>orch secret ls --json</c> prints it: never its value.</summary>
public sealed record SecretRow(string Name, int SizeBytes, DateTimeOffset Created)
{
    public static SecretRow From(SecretInfo secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new SecretRow(secret.Name, secret.SizeBytes, secret.CreatedAt);
    }
}
