using System.CommandLine;
using Orchestrator.Client.Connection;

namespace Orchestrator.Client.Commands;

/// <summary>The <c>orch</c> root: its verbs and the options every verb takes.</summary>
internal static class OrchRootCommand
{
    public static RootCommand Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var root = new RootCommand($"""
            orch: the client of the orch container orchestrator.

            Environment:
              {GatewayAddresses.Variable}    gateways as HOST:PORT,HOST:PORT when --gateway is not given (default {GatewayAddresses.Default})
              {ClusterIdentity.ClusterIdVariable}  the cluster's Orleans ClusterId (default {ClusterIdentity.DefaultId})
              {ClusterIdentity.ServiceIdVariable}  the cluster's Orleans ServiceId (default {ClusterIdentity.DefaultId})
              {ClientTls.CertificateVariable}    this client's TLS certificate when --tls-cert is not given
              {ClientTls.KeyVariable}     its PEM private key when --tls-key is not given
              {ClientTls.CaVariable}      the CA that signs the gateways' certificates when --tls-ca is not given
              {ClientTls.PasswordVariable} the password of the certificate file or key, if any

            Exit codes: 0 success, 1 the operation failed or the thing was not found (or no gateway answered),
            2 bad usage or invalid input. A call that fails on the way to the cluster (a silo dying, a gateway
            dropping) is made again through the gateways that answer, for up to 60 s (run: its --timeout).

            Example:
              orch run -f web.json --wait && orch ps
            """)
        {
            runner.Options.Json,
            runner.Options.Gateway,
            runner.Options.TlsCertificate,
            runner.Options.TlsKey,
            runner.Options.TlsCa,
            RunCommand.Create(runner),
            PsCommand.Create(runner),
            EndpointsCommand.Create(runner),
            InspectCommand.Create(runner),
            StopCommand.Create(runner),
            LogsCommand.Create(runner),
            EventsCommand.Create(runner),
            ScaleCommand.Create(runner),
            HistoryCommand.Create(runner),
            RollbackCommand.Create(runner),
            SecretCommand.Create(runner),
            NodesCommand.Create(runner),
            NodeStatusCommand.Drain(runner),
            NodeStatusCommand.Uncordon(runner),
            PlanCommand.Create(runner),
        };
        return root;
    }
}
