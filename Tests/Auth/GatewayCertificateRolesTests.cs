using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orchestrator.Silo.Auth;
using Orchestrator.Silo.Hosting;
using Xunit;

namespace Orchestrator.Tests.Auth;

/// <summary>Which client certificates the gateway admits under <c>Auth:Certificates</c>, and the reason it gives for the others.</summary>
public sealed class GatewayCertificateRolesTests
{
    private static readonly GatewayCertificateRoles Listed = GatewayCertificateRoles.Read(Configuration(new()
    {
        ["Auth:Certificates:alice:Role"] = "admin",
        ["Auth:Certificates:CN=ops-bot, O=ops:Role"] = "admin",
        ["Auth:Certificates:bob:Role"] = "read",
        ["Auth:Certificates:ci:Role"] = "operate",
    }));

    public static TheoryData<string, string?> Refusals => new()
    {
        { "CN=alice", null },
        { "CN=Alice", null },
        { "CN=alice, O=anywhere", null },
        { "CN=ops-bot, O=ops", null },
        { "CN=ops-bot, O=elsewhere", "certificate 'CN=ops-bot, O=elsewhere' is not listed in Auth:Certificates" },
        { "CN=bob", "certificate 'CN=bob' has role read, and the gateway admits only admin certificates (use the HTTP API with a token for read)" },
        { "CN=ci", "certificate 'CN=ci' has role operate, and the gateway admits only admin certificates (use the HTTP API with a token for operate)" },
        { "CN=carol", "certificate 'CN=carol' is not listed in Auth:Certificates" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_listed_admin_certificate_is_admitted_by_common_name_or_whole_subject_and_any_other_is_refused_with_why(string subject, string? refusal)
    {
        using var certificate = Certificate(subject);

        Assert.Equal(refusal, Listed.Refusal(certificate));
    }

    [Fact]
    public void With_no_certificate_listed_every_certificate_is_admitted()
    {
        var roles = GatewayCertificateRoles.Read(Configuration([]));
        using var certificate = Certificate("CN=anyone");

        Assert.True(roles.IsEmpty);
        Assert.Null(roles.Refusal(certificate));
    }

    [Theory]
    [InlineData(null, "Auth:Certificates:alice:Role must be read, operate, admin (got '')")]
    [InlineData("root", "Auth:Certificates:alice:Role must be read, operate, admin (got 'root')")]
    public void A_role_the_silo_does_not_know_stops_it_with_one_line_naming_the_key(string? role, string message)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Certificates:alice:Role"] = role, ["Auth:Certificates:alice:Note"] = "x" };

        var error = Assert.Throws<SiloConfigurationException>(() => GatewayCertificateRoles.Read(Configuration(settings)));

        Assert.Equal(message, error.Message);
    }

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
