using Orchestrator.Abstractions.Access;

namespace Orchestrator.Abstractions.Secrets;

/// <summary>One secret, keyed by <see cref="SecretKeys.Grain"/> of its name: its value, stored encrypted with the cluster key.</summary>
[Alias("secret")]
public interface ISecretGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores <paramref name="value"/> encrypted. Throws <see cref="InvalidSecretException"/> for a bad name or size, and
    /// <see cref="SecretRefusedException"/> when the secret exists (secrets are immutable, as in Docker Swarm) or the silo has no key.
    /// </summary>
    [Alias("create"), ClientFacing]
    Task<SecretInfo> CreateAsync(byte[] value);

    /// <summary>The secret's name, size and creation time; null when there is none of this name.</summary>
    [Alias("info"), ClientFacing]
    Task<SecretInfo?> GetInfoAsync();

    /// <summary>Deletes the secret. Throws <see cref="SecretRefusedException"/> while a job that is not stopped uses it.</summary>
    [Alias("remove"), ClientFacing]
    Task RemoveAsync();

    /// <summary>The encrypted value, for the node that starts a task using it; null when there is none of this name.</summary>
    [Alias("sealed")]
    Task<SealedSecret?> GetSealedAsync();
}
