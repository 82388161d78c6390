using Orchestrator.Abstractions.Secrets;
using Orchestrator.Operations.Cluster;

namespace Orchestrator.Operations.Secrets;

/// <summary>What <c>orch secret</c> and the HTTP API ask of the cluster's secrets, with the same checks and messages for both.</summary>
public static class SecretActions
{
    /// <summary>Stores a new secret. A bad name or size is refused here, before the value leaves the caller.</summary>
    public static Task<SecretInfo> CreateAsync(IGrainFactory grains, string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(value);
        if ((SecretRules.NameError(name) ?? SecretRules.ValueError(value.Length)) is { } error)
        {
            throw new InvalidSecretException(error);
        }
        return grains.GetSecret(name).CreateAsync(value);
    }

    /// <summary>Every secret's name, size and creation time, by name.</summary>
    public static Task<IReadOnlyList<SecretInfo>> ListAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Key).ListAsync();
    }

    /// <summary>Removes an existing secret; refused while a job that is not stopped uses it.</summary>
    public static async Task<SecretInfo> RemoveAsync(IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (SecretRules.NameError(name) is { } error)
        {
            throw new InvalidSecretException(error);
        }
        var secret = grains.GetSecret(name);
        var info = await secret.GetInfoAsync().ConfigureAwait(false) ?? throw new NotFoundException($"no secret named '{name}'");
        await secret.RemoveAsync().ConfigureAwait(false);
        return info;
    }
}
