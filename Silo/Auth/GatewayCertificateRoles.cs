using System.Security.Cryptography.X509Certificates;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// The roles of client certificates on the gateway, from <c>Auth:Certificates:SUBJECT:Role</c>, where SUBJECT is a
/// certificate's common name (<c>alice</c> for <c>CN=alice</c>) or its whole subject (<c>CN=alice, O=ops</c>).
/// </summary>
/// <remarks>
/// The gateway can grant a connection all or nothing: Orleans does not tie a call to the connection it arrived on
/// (a client names itself in each message), so a call filter cannot hold one connection to <c>read</c>. Only
/// <c>admin</c> certificates are let in; the other roles are for the HTTP API's tokens, and a certificate listed with
/// one is refused with a reason that says so. With no certificate listed, every certificate the CA signed is admin.
/// </remarks>
internal sealed class GatewayCertificateRoles
{
    public const string Section = "Auth:Certificates";

    private readonly Dictionary<string, string> _roles;

    private GatewayCertificateRoles(Dictionary<string, string> roles)
    {
        _roles = roles;
        Listed = string.Join(", ", roles.Select(r => $"{r.Key} ({r.Value})"));
    }

    /// <summary>No certificate is listed: every client certificate the cluster's CA signed is admin.</summary>
    public bool IsEmpty => _roles.Count == 0;

    /// <summary>The listed subjects with their roles, for the log at start.</summary>
    public string Listed { get; }

    /// <summary>Reads and checks the roles; throws <see cref="SiloConfigurationException"/> naming the key of the first one it cannot use.</summary>
    public static GatewayCertificateRoles Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Configuration keys ignore case, and so do X.500 name comparisons in practice.
        var roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            roles[entry.Key] = ApiRoles.FromConfiguration(entry, $"{Section}:{entry.Key}");
        }
        return new GatewayCertificateRoles(roles);
    }

    /// <summary>Why <paramref name="certificate"/> may not open a gateway connection, or null when it may.</summary>
    public string? Refusal(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (IsEmpty)
        {
            return null;
        }
        var role = RoleOf(certificate);
        return role switch
        {
            ApiRoles.Admin => null,
            null => $"certificate '{certificate.Subject}' is not listed in {Section}",
            _ => $"certificate '{certificate.Subject}' has role {role}, and the gateway admits only {ApiRoles.Admin} certificates (use the HTTP API with a token for {role})",
        };
    }

    private string? RoleOf(X509Certificate2 certificate) =>
        _roles.TryGetValue(certificate.Subject, out var bySubject) ? bySubject
        : _roles.TryGetValue(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), out var byName) ? byName
        : null;
}
