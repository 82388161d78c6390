using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Orchestrator.Security;

/// <summary>
/// Trusts a certificate only when it chains to one of the cluster's own CAs (never the system's trust
/// store) and may be used for what the peer does with it. Host names are not checked: silos reach each
/// other and clients reach gateways by IP address, and any certificate the cluster's CA signed is a member.
/// </summary>
public sealed class CertificateAuthorityValidator(X509Certificate2Collection authorities)
{
    /// <summary>TLS server authentication (id-kp-serverAuth): a gateway or a silo accepting connections.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "server authentication");

    /// <summary>TLS client authentication (id-kp-clientAuth): a client or a silo opening connections.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "client authentication");

    /// <summary>Why <paramref name="certificate"/> is not trusted for all of <paramref name="usages"/>, or null when it is.</summary>
    /// <param name="certificate">The certificate to check.</param>
    /// <param name="presented">The chain the peer sent, whose intermediates may help build a path to a CA.</param>
    /// <param name="usages">Extended key usages the certificate must allow (a certificate without the extension allows all).</param>
    public string? Check(X509Certificate2 certificate, X509Chain? presented, params Oid[] usages)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(usages);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // A private cluster CA publishes no revocation list; expiry bounds a certificate's life instead.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var usage in usages)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }
        if (presented is not null)
        {
            // Only helps build the path: in custom-root mode nothing here is trusted unless a CA above it is.
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (chain.Build(certificate))
        {
            return null;
        }
        var problems = chain.ChainStatus.Select(s => s.Status).Distinct().Select(s => Describe(s, usages));
        return $"certificate '{certificate.Subject}' {string.Join("; ", problems)}";
    }

    /// <summary>A validation callback for Orleans' TLS options that reports each refusal to <paramref name="refused"/>.</summary>
    public RemoteCertificateValidator For(Action<string> refused, params Oid[] usages)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return (certificate, presented, policyErrors) =>
        {
            // The platform's own verdict (system roots, host name) is replaced by ours, except for a missing certificate.
            if (policyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                refused("no certificate was presented");
                return false;
            }
            var problem = Check(certificate, presented, usages);
            if (problem is not null)
            {
                refused(problem);
            }
            return problem is null;
        };
    }

    private static string Describe(X509ChainStatusFlags status, Oid[] usages) => status switch
    {
        X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot => "is not signed by the cluster's CA",
        X509ChainStatusFlags.NotTimeValid => "has expired or is not yet valid",
        X509ChainStatusFlags.NotValidForUsage => $"is not valid for {string.Join(" and ", usages.Select(u => u.FriendlyName))}",
        _ => status.ToString(),
    };
}
