using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>The check of a submitted job's <c>secrets</c> against the secrets that exist: a job never waits for a secret to appear.</summary>
public static class SecretReferences
{
    /// <summary>Throws <see cref="JobSpecException"/> naming the first entry whose secret does not exist, or any entry on a silo without a key.</summary>
    public static async Task EnsureExistAsync(IGrainFactory grains, JobSpec spec, SecretVault vault)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(vault);
        if (spec.Secrets.Count == 0)
        {
            return;
        }
        if (!vault.Enabled)
        {
            throw new JobSpecException([new SpecError("secrets", SecretVault.NoKey)]);
        }
        var found = await Task.WhenAll(spec.Secrets.Select(s => grains.GetSecret(s.Name).GetInfoAsync()));
        var missing = Enumerable.Range(0, found.Length).Where(i => found[i] is null)
            .Select(i => new SpecError($"secrets[{i}].name", $"no secret named '{spec.Secrets[i].Name}' exists (orch secret create)"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new JobSpecException(missing);
        }
    }
}
