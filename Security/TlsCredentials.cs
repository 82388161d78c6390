using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Security;

/// <summary>
/// A party's own certificate with its private key (absent for a client that presents none) and the
/// certificate authorities every peer's certificate must chain to.
/// </summary>
public sealed record TlsCredentials(X509Certificate2? Certificate, X509Certificate2Collection Authorities)
{
    /// <summary>Reads the files <paramref name="settings"/> name; throws <see cref="TlsSettingsException"/> naming the setting at fault.</summary>
    public static TlsCredentials Load(TlsSettings settings, TlsSettingNames names)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(names);
        if (string.IsNullOrWhiteSpace(settings.CaPath))
        {
            throw new TlsSettingsException($"{names.CaPath} is required with TLS: the CA certificate that signs the cluster's certificates (the system's trust store is not used)");
        }
        if (string.IsNullOrWhiteSpace(settings.CertificatePath) && !string.IsNullOrWhiteSpace(settings.KeyPath))
        {
            throw new TlsSettingsException($"{names.KeyPath} is set but {names.CertificatePath} is not: the key belongs to a certificate");
        }
        var authorities = LoadAuthorities(settings.CaPath, names.CaPath);
        var certificate = string.IsNullOrWhiteSpace(settings.CertificatePath) ? null : LoadCertificate(settings, names);
        return new TlsCredentials(certificate, authorities);
    }

    private static X509Certificate2Collection LoadAuthorities(string path, string name)
    {
        var text = ReadText(path, name);
        var authorities = new X509Certificate2Collection();
        try
        {
            if (IsPem(text))
            {
                authorities.ImportFromPem(text);
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (CryptographicException e)
        {
            throw new TlsSettingsException($"{name}: '{path}' is not a PEM or DER certificate ({e.Message})", e);
        }
        return authorities.Count > 0
            ? authorities
            : throw new TlsSettingsException($"{name}: '{path}' holds no certificate");
    }

    private static X509Certificate2 LoadCertificate(TlsSettings settings, TlsSettingNames names)
    {
        var path = settings.CertificatePath!;
        var text = ReadText(path, names.CertificatePath);
        X509Certificate2 certificate;
        try
        {
            if (!string.IsNullOrWhiteSpace(settings.KeyPath))
            {
                var key = ReadText(settings.KeyPath, names.KeyPath);
                certificate = string.IsNullOrEmpty(settings.CertificatePassword)
                    ? X509Certificate2.CreateFromPem(text, key)
                    : X509Certificate2.CreateFromEncryptedPem(text, key, settings.CertificatePassword);
            }
            else if (IsPem(text))
            {
                if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    throw new TlsSettingsException($"{names.CertificatePath}: '{path}' has no private key; put it in the same PEM file or give {names.KeyPath}");
                }
                // Certificate and key in one PEM file.
                certificate = string.IsNullOrEmpty(settings.CertificatePassword)
                    ? X509Certificate2.CreateFromPem(text, text)
                    : X509Certificate2.CreateFromEncryptedPem(text, text, settings.CertificatePassword);
            }
            else
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
            }
        }
        catch (CryptographicException e)
        {
            var key = string.IsNullOrWhiteSpace(settings.KeyPath) ? "" : $" with the key in {names.KeyPath}";
            throw new TlsSettingsException($"{names.CertificatePath}: cannot load '{path}'{key} as a PKCS#12 file or a PEM certificate and private key: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new TlsSettingsException($"{names.CertificatePath}: cannot load '{path}': {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsSettingsException($"{names.CertificatePath}: '{path}' has no private key");
        }
        return certificate;
    }

    private static string ReadText(string path, string name)
    {
        try
        {
            // A binary PKCS#12 or DER file reads as garbage text, which is only ever tested for a PEM header.
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TlsSettingsException($"{name}: cannot read '{path}': {e.Message}", e);
        }
    }

    private static bool IsPem(string text) => text.Contains("-----BEGIN ", StringComparison.Ordinal);
}
