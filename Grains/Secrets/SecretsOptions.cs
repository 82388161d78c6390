namespace Orchestrator.Grains.Secrets;

/// <summary>What secrets read of the <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class SecretsOptions
{
    public const string Section = "Orchestrator";

    /// <summary>
    /// The cluster key that encrypts secrets at rest: a file of 32 random bytes, raw or base64, the same on every silo.
    /// Null turns secrets off: secret commands and jobs that use secrets are refused.
    /// </summary>
    public string? SecretsKeyFile { get; set; }
}
