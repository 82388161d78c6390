namespace Orchestrator.Silo.Hosting;

/// <summary>
/// The silo's <c>Orchestrator:Tls</c> section. TLS is off unless <see cref="CertificatePath"/> is set;
/// then silo-to-silo and client connections are encrypted and every peer must present a certificate
/// signed by the CA at <see cref="CaPath"/>.
/// </summary>
public sealed class SiloTlsOptions
{
    public const string Section = "Orchestrator:Tls";

    /// <summary>This silo's certificate: a PKCS#12 (.pfx) file, or PEM with the key in the same file or at <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is not in the same file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The CA (PEM, one or more certificates) that signs every silo's and client's certificate.</summary>
    public string? CaPath { get; set; }

    /// <summary>Clients must present a certificate signed by the CA (mutual TLS); silos always must.</summary>
    public bool RequireClientCertificate { get; set; } = true;
}
