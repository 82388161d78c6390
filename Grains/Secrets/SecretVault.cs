using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>This silo's cluster key for secrets, if it was given one (<c>Orchestrator:SecretsKeyFile</c>); without it, secrets are refused.</summary>
public sealed class SecretVault(SecretCipher? cipher)
{
    /// <summary>The refusal of every secret operation on a silo without a key.</summary>
    public const string NoKey = "secrets are off: the silo has no cluster key (set Orchestrator:SecretsKeyFile to a file of 32 random bytes)";

    public static SecretVault Off { get; } = new(null);

    public bool Enabled => cipher is not null;

    /// <summary>The cipher; throws <see cref="SecretRefusedException"/> when the silo has no key.</summary>
    public SecretCipher Cipher => cipher ?? throw new SecretRefusedException(NoKey);
}
