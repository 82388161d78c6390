using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Security;
using Xunit;

namespace Orchestrator.Tests.Security;

public sealed class CertificateAuthorityValidatorTests : IDisposable
{
    private static readonly Oid Client = CertificateAuthorityValidator.ClientAuthentication;
    private static readonly Oid Server = CertificateAuthorityValidator.ServerAuthentication;

    private readonly string _dir = Directory.CreateTempSubdirectory("orch-ca-").FullName;
    private readonly ThrowawayCertificateAuthority _ca;
    private readonly ThrowawayCertificateAuthority _other;
    private readonly CertificateAuthorityValidator _validator;

    public CertificateAuthorityValidatorTests()
    {
        _ca = ThrowawayCertificateAuthority.Create("cluster-ca", _dir);
        _other = ThrowawayCertificateAuthority.Create("other-ca", _dir);
        _validator = new CertificateAuthorityValidator([_ca.Certificate]);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _other.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_certificate_signed_by_the_CA_for_the_asked_usages_is_trusted()
    {
        using var silo = Issue(_ca, Server, Client);

        Assert.Null(_validator.Check(silo, null, Server, Client));
    }

    [Fact]
    public void A_certificate_signed_by_another_CA_is_not_trusted()
    {
        using var stranger = Issue(_other, Client);

        Assert.Equal("certificate 'CN=leaf' is not signed by the cluster's CA", _validator.Check(stranger, null, Client));
    }

    [Fact]
    public void A_CA_that_only_borrows_the_cluster_CA_name_is_not_trusted()
    {
        using var impostor = ThrowawayCertificateAuthority.Create("cluster-ca", Directory.CreateDirectory(Path.Combine(_dir, "impostor")).FullName);
        using var leaf = Issue(impostor, Client);

        Assert.Contains("is not signed by the cluster's CA", _validator.Check(leaf, null, Client), StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_certificate_is_not_trusted_where_a_silo_certificate_is_needed()
    {
        using var client = Issue(_ca, Client);

        Assert.Equal("certificate 'CN=leaf' is not valid for server authentication and client authentication", _validator.Check(client, null, Server, Client));
    }

    [Fact]
    public void An_expired_certificate_is_not_trusted()
    {
        using var expired = _ca.IssueCertificate("leaf", DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-2), Client);

        Assert.Equal("certificate 'CN=leaf' has expired or is not yet valid", _validator.Check(expired, null, Client));
    }

    [Fact]
    public void The_callback_refuses_a_missing_certificate_and_reports_every_refusal()
    {
        var refusals = new List<string>();
        var callback = _validator.For(refusals.Add, Client);
        using var stranger = Issue(_other, Client);
        using var member = Issue(_ca, Client);

        Assert.False(callback(stranger, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(callback(member, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(callback(member, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.Equal(["certificate 'CN=leaf' is not signed by the cluster's CA", "no certificate was presented"], refusals);
    }

    private static X509Certificate2 Issue(ThrowawayCertificateAuthority ca, params Oid[] usages) =>
        ca.IssueCertificate("leaf", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), usages);
}
