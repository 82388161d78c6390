using System.Security.Cryptography;
using Orleans.Connections.Security;

namespace Orchestrator.Security;

/// <summary>Orleans' TLS options for each side of a cluster connection, trusting only the cluster's CA.</summary>
public static class ClusterTlsOptions
{
    /// <summary>
    /// The accepting side (a silo's silo port or gateway): presents its own certificate and checks the
    /// peer's against the CA and <paramref name="peerUsages"/>.
    /// </summary>
    public static TlsOptions Server(TlsCredentials credentials, RemoteCertificateMode peerCertificate, Action<string> refused, params Oid[] peerUsages)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new TlsOptions
        {
            LocalCertificate = credentials.Certificate,
            RemoteCertificateMode = peerCertificate,
            RemoteCertificateValidation = new CertificateAuthorityValidator(credentials.Authorities).For(refused, peerUsages),
        };
    }

    /// <summary>
    /// The connecting side (a client, or a silo calling another): presents its certificate when it has
    /// one and requires the server's to chain to the CA with server authentication usage.
    /// </summary>
    public static TlsOptions Client(TlsCredentials credentials, Action<string> refused)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new TlsOptions
        {
            LocalCertificate = credentials.Certificate,
            ClientCertificateMode = credentials.Certificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.RequireCertificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = new CertificateAuthorityValidator(credentials.Authorities).For(refused, CertificateAuthorityValidator.ServerAuthentication),
        };
    }
}
