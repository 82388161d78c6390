using Orchestrator.Abstractions.Access;

namespace Orchestrator.Abstractions.Secrets;

/// <summary>What is known of every secret (one grain, key <see cref="Key"/>), so the cluster can list them without their values.</summary>
[Alias("secret-directory")]
public interface ISecretDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the one directory grain.</summary>
    const string Key = "cluster";

    [Alias("add")]
    Task AddAsync(SecretInfo secret);

    [Alias("remove")]
    Task RemoveAsync(string name);

    /// <summary>Every secret, by name.</summary>
    [Alias("list"), ClientFacing]
    Task<IReadOnlyList<SecretInfo>> ListAsync();
}
