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
}
