using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Security;

namespace Orchestrator.Testing;

/// <summary>
/// A CA made for one test: a self-signed certificate allowed to sign others, issuing leaf certificates
/// for localhost and 127.0.0.1 and writing them as PEM files into a folder the test owns.
/// </summary>
internal sealed class ThrowawayCertificateAuthority : IDisposable
{
    private readonly string _directory;

    private ThrowawayCertificateAuthority(string name, X509Certificate2 certificate, string directory)
    {
        Name = name;
        Certificate = certificate;
        _directory = directory;
        CertificatePath = Path.Combine(directory, $"{name}.crt");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
    }

    public string Name { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's certificate (no key) as PEM: what peers are told to trust.</summary>
    public string CertificatePath { get; }

    /// <summary>Makes a CA whose files go into <paramref name="directory"/>.</summary>
    public static ThrowawayCertificateAuthority Create(string name, string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return new ThrowawayCertificateAuthority(name, request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2)), directory);
    }

    /// <summary>A silo's certificate: server and client authentication.</summary>
    public CertificateFiles IssueSilo(string name) =>
        Issue(name, CertificateAuthorityValidator.ServerAuthentication, CertificateAuthorityValidator.ClientAuthentication);

    /// <summary>A client's certificate: client authentication only.</summary>
    public CertificateFiles IssueClient(string name) => Issue(name, CertificateAuthorityValidator.ClientAuthentication);

    /// <summary>Issues a certificate with these extended key usages and writes NAME.crt and NAME.key (PEM).</summary>
    public CertificateFiles Issue(string name, params Oid[] usages)
    {
        using var certificate = IssueCertificate(name, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), usages);
        return Write(name, certificate);
    }

    /// <summary>Issues a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (within the CA's last and next day), keeping it in memory.</summary>
    public X509Certificate2 IssueCertificate(string name, DateTimeOffset notBefore, DateTimeOffset notAfter, params Oid[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = request.Create(Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificate and its key as NAME.crt and NAME.key (PEM).</summary>
    public CertificateFiles Write(string name, X509Certificate2 certificate)
    {
        var files = new CertificateFiles(Path.Combine(_directory, $"{name}.crt"), Path.Combine(_directory, $"{name}.key"));
        File.WriteAllText(files.Certificate, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{name} has no ECDSA key");
        File.WriteAllText(files.Key, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    public void Dispose() => Certificate.Dispose();
}
