namespace Orchestrator.Abstractions.Secrets;

/// <summary>The key of a secret's grain: its name behind a prefix, for the reason <see cref="GrainKeys"/> gives.</summary>
public static class SecretKeys
{
    private const string Prefix = "secret/";

    public static string Grain(string name) => Prefix + name;

    /// <summary>The secret name behind a secret grain's key.</summary>
    public static string Name(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
    }

    /// <summary>The grain of the secret named <paramref name="name"/>.</summary>
    public static ISecretGrain GetSecret(this IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<ISecretGrain>(Grain(name));
    }
}
