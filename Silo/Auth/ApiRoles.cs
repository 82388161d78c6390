using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// What a token may do (docs/CONTRACT.md, HTTP API). Each role includes the ones before it: <see cref="Read"/> reads with
/// env values redacted, <see cref="Operate"/> also changes jobs and nodes, <see cref="Admin"/> also sees env values.
/// </summary>
internal static class ApiRoles
{
    public const string Read = "read";
    public const string Operate = "operate";
    public const string Admin = "admin";

    /// <summary>Every role, the least first.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Operate, Admin];

    /// <summary><paramref name="least"/> and every role above it.</summary>
    public static string[] AtLeast(string least) => [.. All.SkipWhile(role => role != least)];

    /// <summary>The <c>Role</c> of the configuration entry at <paramref name="key"/>; throws <see cref="SiloConfigurationException"/> naming the key when it is not a role.</summary>
    public static string FromConfiguration(IConfigurationSection entry, string key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var role = entry["Role"];
        return role is not null && All.Contains(role)
            ? role
            : throw new SiloConfigurationException($"{key}:Role must be {string.Join(", ", All)} (got '{role}')");
    }
}
