using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Orchestrator.Silo.Auth;
using Orchestrator.Silo.Hosting;
using Xunit;

namespace Orchestrator.Tests.Auth;

/// <summary>Reading <c>Auth:Tokens</c>: what a token needs, the one line that names the key when it lacks it, and matching.</summary>
public sealed class ApiTokensTests
{
    private const string Secret = "a-secret-of-twenty-chars";

    [Fact]
    public void A_token_matches_by_its_secret_or_by_the_hash_of_its_secret()
    {
        var tokens = ApiTokens.Read(Configuration(new()
        {
            ["Auth:Tokens:ci:Secret"] = Secret,
            ["Auth:Tokens:ci:Role"] = "operate",
            ["Auth:Tokens:viewer:SecretSha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("another-secret-0123"))).ToLowerInvariant(),
            ["Auth:Tokens:viewer:Role"] = "read",
        }));

        Assert.Equal(("ci", "operate"), (tokens.Match(Secret)?.Name, tokens.Match(Secret)?.Role));
        Assert.Equal("viewer", tokens.Match("another-secret-0123")?.Name);
        Assert.Null(tokens.Match(Secret + "x"));
        Assert.Null(tokens.Match(""));
        Assert.False(tokens.IsEmpty);
    }

    [Fact]
    public void No_tokens_configured_is_empty()
    {
        Assert.True(ApiTokens.Read(Configuration([])).IsEmpty);
    }

    public static TheoryData<Dictionary<string, string?>, string> Refused => new()
    {
        { new() { ["Auth:Tokens:ci:Secret"] = Secret }, "Auth:Tokens:ci:Role must be read, operate, admin (got '')" },
        { new() { ["Auth:Tokens:ci:Secret"] = Secret, ["Auth:Tokens:ci:Role"] = "root" }, "Auth:Tokens:ci:Role must be read, operate, admin (got 'root')" },
        { new() { ["Auth:Tokens:ci:Role"] = "read" }, "Auth:Tokens:ci needs a Secret or a SecretSha256, and not both" },
        { new() { ["Auth:Tokens:ci:Role"] = "read", ["Auth:Tokens:ci:Secret"] = Secret, ["Auth:Tokens:ci:SecretSha256"] = new string('a', 64) }, "Auth:Tokens:ci needs a Secret or a SecretSha256, and not both" },
        { new() { ["Auth:Tokens:ci:Role"] = "read", ["Auth:Tokens:ci:Secret"] = "short" }, "Auth:Tokens:ci:Secret must be at least 16 characters" },
        { new() { ["Auth:Tokens:ci:Role"] = "read", ["Auth:Tokens:ci:SecretSha256"] = "abc" }, "Auth:Tokens:ci:SecretSha256 must be 64 hexadecimal digits, the SHA-256 of the secret" },
        { new() { ["Auth:Tokens:ci:Role"] = "read", ["Auth:Tokens:ci:Secret"] = Secret, ["Auth:Tokens:cd:Role"] = "admin", ["Auth:Tokens:cd:Secret"] = Secret }, "Auth:Tokens:ci has the same secret as Auth:Tokens:cd; each token needs its own" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_token_the_silo_cannot_use_stops_it_with_one_line_naming_the_key(Dictionary<string, string?> settings, string message)
    {
        var error = Assert.Throws<SiloConfigurationException>(() => ApiTokens.Read(Configuration(settings)));

        Assert.Equal(message, error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
