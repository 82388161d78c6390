namespace Orchestrator.Silo.Auth;

/// <summary>One configured bearer token: its name (for logs and messages), its role and the SHA-256 of its secret.</summary>
internal sealed record ApiToken(string Name, string Role, byte[] SecretSha256);
