using Orchestrator.Security;

namespace Orchestrator.Client.Connection;

/// <summary>
/// The client's TLS material: <c>--tls-cert</c>, <c>--tls-key</c> and <c>--tls-ca</c>, else
/// <c>ORCH_TLS_CERT</c>, <c>ORCH_TLS_KEY</c> and <c>ORCH_TLS_CA</c>; the password only from
/// <c>ORCH_TLS_PASSWORD</c>, so that it never shows in a process list. TLS is off when neither a
/// certificate nor a CA is given.
/// </summary>
internal static class ClientTls
{
    public const string CertificateVariable = "ORCH_TLS_CERT";
    public const string KeyVariable = "ORCH_TLS_KEY";
    public const string CaVariable = "ORCH_TLS_CA";
    public const string PasswordVariable = "ORCH_TLS_PASSWORD";

    private static readonly TlsSettingNames Names = new(
        $"--tls-cert (or {CertificateVariable})",
        $"--tls-key (or {KeyVariable})",
        PasswordVariable,
        $"--tls-ca (or {CaVariable})");

    /// <summary>The credentials to connect with, or null for plain TCP. Throws <see cref="CommandFailedException"/> (exit 2) for unusable settings.</summary>
    public static TlsCredentials? Load(string? certificate, string? key, string? ca)
    {
        var settings = new TlsSettings(
            Pick(certificate, CertificateVariable),
            Pick(key, KeyVariable),
            Environment.GetEnvironmentVariable(PasswordVariable),
            Pick(ca, CaVariable));
        if (settings.CertificatePath is null && settings.CaPath is null && settings.KeyPath is null)
        {
            return null;
        }
        try
        {
            return TlsCredentials.Load(settings, Names);
        }
        catch (TlsSettingsException e)
        {
            throw CommandFailedException.BadInput(e.Message);
        }
    }

    private static string? Pick(string? option, string variable) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
        : null;
}
