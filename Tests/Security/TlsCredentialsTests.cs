using System.Security.Cryptography.X509Certificates;
using Orchestrator.Security;
using Xunit;

namespace Orchestrator.Tests.Security;

public sealed class TlsCredentialsTests : IDisposable
{
    private static readonly TlsSettingNames Names = new("CERT", "KEY", "PASSWORD", "CA");

    private readonly string _dir = Directory.CreateTempSubdirectory("orch-creds-").FullName;
    private readonly ThrowawayCertificateAuthority _ca;

    public TlsCredentialsTests() => _ca = ThrowawayCertificateAuthority.Create("cluster-ca", _dir);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_PEM_certificate_with_its_key_beside_it_loads_with_the_CA()
    {
        var files = _ca.IssueClient("client");

        var credentials = TlsCredentials.Load(new TlsSettings(files.Certificate, files.Key, null, _ca.CertificatePath), Names);

        Assert.True(credentials.Certificate!.HasPrivateKey);
        Assert.Equal("CN=client", credentials.Certificate.Subject);
        Assert.Equal(_ca.Certificate.Thumbprint, Assert.Single(credentials.Authorities).Thumbprint);
    }

    [Fact]
    public void A_PEM_file_holding_certificate_and_key_loads()
    {
        var files = _ca.IssueClient("client");
        var combined = Path.Combine(_dir, "combined.pem");
        File.WriteAllText(combined, $"{File.ReadAllText(files.Certificate)}\n{File.ReadAllText(files.Key)}\n");

        var credentials = TlsCredentials.Load(new TlsSettings(combined, null, null, _ca.CertificatePath), Names);

        Assert.True(credentials.Certificate!.HasPrivateKey);
    }

    [Fact]
    public void A_PKCS12_file_loads_with_its_password_and_a_wrong_one_is_named()
    {
        using var certificate = _ca.IssueCertificate("client", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), CertificateAuthorityValidator.ClientAuthentication);
        var pfx = Path.Combine(_dir, "client.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "s3cret"));

        var credentials = TlsCredentials.Load(new TlsSettings(pfx, null, "s3cret", _ca.CertificatePath), Names);
        var wrong = Assert.Throws<TlsSettingsException>(() => TlsCredentials.Load(new TlsSettings(pfx, null, "nope", _ca.CertificatePath), Names));

        Assert.True(credentials.Certificate!.HasPrivateKey);
        Assert.StartsWith($"CERT: cannot load '{pfx}'", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CA_only_client_has_no_certificate()
    {
        var credentials = TlsCredentials.Load(new TlsSettings(null, null, null, _ca.CertificatePath), Names);

        Assert.Null(credentials.Certificate);
    }

    [Theory]
    [InlineData("no-ca", "CA is required with TLS")]
    [InlineData("missing-ca", "CA: cannot read")]
    [InlineData("garbage-ca", "CA: '")]
    [InlineData("missing-cert", "CERT: cannot read")]
    [InlineData("cert-without-key", "CERT: '")]
    [InlineData("key-without-cert", "KEY is set but CERT is not")]
    public void Unusable_settings_fail_with_one_line_naming_the_setting(string setup, string expected)
    {
        var files = _ca.IssueClient("client");
        var garbage = Path.Combine(_dir, "garbage");
        File.WriteAllText(garbage, "not a certificate");
        var missing = Path.Combine(_dir, "missing");
        var settings = setup switch
        {
            "no-ca" => new TlsSettings(files.Certificate, files.Key, null, null),
            "missing-ca" => new TlsSettings(files.Certificate, files.Key, null, missing),
            "garbage-ca" => new TlsSettings(files.Certificate, files.Key, null, garbage),
            "missing-cert" => new TlsSettings(missing, files.Key, null, _ca.CertificatePath),
            "cert-without-key" => new TlsSettings(files.Certificate, null, null, _ca.CertificatePath),
            "key-without-cert" => new TlsSettings(null, files.Key, null, _ca.CertificatePath),
            _ => throw new ArgumentOutOfRangeException(nameof(setup)),
        };

        var error = Assert.Throws<TlsSettingsException>(() => TlsCredentials.Load(settings, Names));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
