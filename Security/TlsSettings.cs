namespace Orchestrator.Security;

/// <summary>
/// Where a party's TLS material is: its own certificate (a PKCS#12 file, or PEM with the key beside
/// it or in <see cref="KeyPath"/>) and the CA that signs every certificate of the cluster.
/// </summary>
public sealed record TlsSettings(string? CertificatePath, string? KeyPath, string? CertificatePassword, string? CaPath);
