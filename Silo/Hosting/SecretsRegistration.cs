using Orchestrator.Grains.Secrets;

namespace Orchestrator.Silo.Hosting;

/// <summary>Reads the cluster key for secrets (<c>Orchestrator:SecretsKeyFile</c>) at start, so a bad key file stops the silo at once.</summary>
internal static class SecretsRegistration
{
    public static IServiceCollection AddSecrets(this IServiceCollection services, SecretsOptions options)
    {
        if (string.IsNullOrEmpty(options.SecretsKeyFile))
        {
            return services.AddSingleton(SecretVault.Off);
        }
        try
        {
            return services.AddSingleton(new SecretVault(SecretCipher.FromKeyFile(options.SecretsKeyFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new SiloConfigurationException($"Orchestrator:SecretsKeyFile: {e.Message}", e);
        }
    }
}
