using System.CommandLine;
using Orchestrator.Client.Connection;

namespace Orchestrator.Client.Commands;

/// <summary>The options every command takes (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON on stdout and nothing else there.",
        Recursive = true,
    };

    public Option<string[]> Gateway { get; } = new("--gateway")
    {
        Description = $"A silo gateway as HOST:PORT; repeat for several (the client fails over between them). Default: ${GatewayAddresses.Variable} (comma-separated), else {GatewayAddresses.Default}.",
        HelpName = "HOST:PORT",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string> TlsCertificate { get; } = new("--tls-cert")
    {
        Description = $"This client's certificate for TLS to the gateways: a PKCS#12 file, or PEM (key in the same file or --tls-key). Default: ${ClientTls.CertificateVariable}.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> TlsKey { get; } = new("--tls-key")
    {
        Description = $"The PEM private key of --tls-cert. Default: ${ClientTls.KeyVariable}.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> TlsCa { get; } = new("--tls-ca")
    {
        Description = $"The CA (PEM) the gateways' certificates must be signed by; turns TLS on. Default: ${ClientTls.CaVariable}.",
        HelpName = "FILE",
        Recursive = true,
    };
}
