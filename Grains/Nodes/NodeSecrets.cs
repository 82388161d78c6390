using System.Security.Cryptography;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Secrets;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// The values of a task's secrets, fetched sealed from their grains and opened on the node that starts the task, for
/// that start alone: no job spec, task state, ledger or message carries them in the clear.
/// </summary>
public static class NodeSecrets
{
    /// <summary>
    /// The files of <paramref name="spec"/>'s secrets. Throws <see cref="ContainerEngineException"/> (the start's own failure,
    /// through the task's restart policy) when a secret is gone, the silo has no key, or a value does not open with it.
    /// </summary>
    public static async Task<IReadOnlyList<SecretFile>> OpenAsync(IGrainFactory grains, SecretVault vault, JobSpec spec, string node)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Secrets.Count == 0)
        {
            return [];
        }
        if (!vault.Enabled)
        {
            throw new ContainerEngineException($"node {node} cannot mount secrets: {SecretVault.NoKey}");
        }
        var sealedValues = await Task.WhenAll(spec.Secrets.Select(s => grains.GetSecret(s.Name).GetSealedAsync()));
        var files = new List<SecretFile>(spec.Secrets.Count);
        for (var i = 0; i < spec.Secrets.Count; i++)
        {
            var secret = spec.Secrets[i];
            var sealedValue = sealedValues[i] ?? throw new ContainerEngineException($"secret {secret.Name} does not exist (any more)");
            try
            {
                files.Add(new SecretFile(secret.FileName, vault.Cipher.Open(secret.Name, sealedValue)));
            }
            catch (CryptographicException)
            {
                throw new ContainerEngineException($"secret {secret.Name} does not open with the cluster key of node {node}'s silo: its Orchestrator:SecretsKeyFile differs from the one it was created with");
            }
        }
        return files;
    }
}
