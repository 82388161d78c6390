using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// The bearer tokens of <c>Auth:Tokens:NAME</c>, each with a <c>Role</c> and its <c>Secret</c> or the secret's
/// <c>SecretSha256</c> (hex), so that a configuration file need not hold the secret itself. Only hashes are kept.
/// </summary>
internal sealed class ApiTokens
{
    public const string Section = "Auth:Tokens";

    /// <summary>Shorter secrets are guessable; a generated one (<c>openssl rand -hex 32</c>) is far longer.</summary>
    public const int MinSecretLength = 16;

    private readonly IReadOnlyList<ApiToken> _tokens;

    public ApiTokens(IReadOnlyList<ApiToken> tokens)
    {
        _tokens = tokens;
    }

    /// <summary>No token is configured: the API answers only on loopback.</summary>
    public bool IsEmpty => _tokens.Count == 0;

    public IReadOnlyList<ApiToken> All => _tokens;

    /// <summary>Reads and checks the tokens; throws <see cref="SiloConfigurationException"/> naming the key of the first one it cannot use.</summary>
    public static ApiTokens Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var tokens = new List<ApiToken>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var key = $"{Section}:{entry.Key}";
            var token = new ApiToken(entry.Key, ApiRoles.FromConfiguration(entry, key), ReadSecretHash(entry, key));
            if (tokens.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(t.SecretSha256, token.SecretSha256)) is { } same)
            {
                throw new SiloConfigurationException($"{key} has the same secret as {Section}:{same.Name}; each token needs its own");
            }
            tokens.Add(token);
        }
        return new ApiTokens(tokens);
    }

    /// <summary>
    /// The token whose secret is <paramref name="presented"/>, or null. Every token is compared, each in constant time,
    /// so how long it takes says nothing about how much of a secret was right, nor which token matched.
    /// </summary>
    public ApiToken? Match(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiToken? match = null;
        foreach (var token in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.SecretSha256))
            {
                match = token;
            }
        }
        return match;
    }

    private static byte[] ReadSecretHash(IConfigurationSection entry, string key)
    {
        var secret = entry["Secret"];
        var hash = entry["SecretSha256"];
        switch (string.IsNullOrEmpty(secret), string.IsNullOrEmpty(hash))
        {
            case (false, true) when secret!.Length >= MinSecretLength:
                return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
            case (false, true):
                throw new SiloConfigurationException(string.Create(CultureInfo.InvariantCulture, $"{key}:Secret must be at least {MinSecretLength} characters"));
            case (true, false) when hash!.Length == SHA256.HashSizeInBytes * 2 && hash.All(char.IsAsciiHexDigit):
                return Convert.FromHexString(hash);
            case (true, false):
                throw new SiloConfigurationException($"{key}:SecretSha256 must be 64 hexadecimal digits, the SHA-256 of the secret");
            default:
                throw new SiloConfigurationException($"{key} needs a Secret or a SecretSha256, and not both");
        }
    }
}
