using Orchestrator.Security;
using Orchestrator.Silo.Auth;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// TLS on the silo port (silo to silo, both ways) and on the gateway (clients), from <c>Orchestrator:Tls</c>.
/// Every peer's certificate must chain to the configured CA; a silo's must also allow both server and
/// client authentication, which is what tells it apart from a client's. When <c>Auth:Certificates</c> lists
/// certificates, the gateway also admits only the listed <c>admin</c> ones (<see cref="GatewayCertificateRoles"/>).
/// </summary>
internal static partial class SiloTlsExtensions
{
    private static readonly TlsSettingNames Names = new(
        $"{SiloTlsOptions.Section}:{nameof(SiloTlsOptions.CertificatePath)}",
        $"{SiloTlsOptions.Section}:{nameof(SiloTlsOptions.KeyPath)}",
        $"{SiloTlsOptions.Section}:{nameof(SiloTlsOptions.CertificatePassword)}",
        $"{SiloTlsOptions.Section}:{nameof(SiloTlsOptions.CaPath)}");

    /// <summary>Turns TLS on when <c>Orchestrator:Tls:CertificatePath</c> is set; throws <see cref="SiloConfigurationException"/> for settings it cannot use.</summary>
    public static ISiloBuilder UseOrchestratorTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = Read(configuration);
        var roles = GatewayCertificateRoles.Read(configuration);
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (!string.IsNullOrWhiteSpace(options.CaPath) || !string.IsNullOrWhiteSpace(options.KeyPath))
            {
                throw new SiloConfigurationException($"{Names.CertificatePath} is required when {Names.CaPath} or {Names.KeyPath} is set (TLS is on only with a certificate)");
            }
            return roles.IsEmpty
                ? silo
                : throw new SiloConfigurationException($"{GatewayCertificateRoles.Section} needs TLS: set {Names.CertificatePath} (without TLS no client presents a certificate)");
        }
        var credentials = Load(options);
        var requireClients = options.RequireClientCertificate;
        if (!roles.IsEmpty && !requireClients)
        {
            throw new SiloConfigurationException($"{GatewayCertificateRoles.Section} needs {SiloTlsOptions.Section}:{nameof(SiloTlsOptions.RequireClientCertificate)} true (a client without a certificate would have no role)");
        }
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((connections, loggers) =>
        {
            var logger = loggers.CreateLogger(typeof(SiloTlsExtensions).FullName!);
            var fromSilos = ClusterTlsOptions.Server(
                credentials,
                RemoteCertificateMode.RequireCertificate,
                reason => LogRefused(logger, "silo", reason),
                CertificateAuthorityValidator.ServerAuthentication,
                CertificateAuthorityValidator.ClientAuthentication);
            var fromClients = ClusterTlsOptions.Server(
                credentials,
                requireClients ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate,
                reason => LogRefused(logger, "client", reason),
                CertificateAuthorityValidator.ClientAuthentication);
            fromClients.RemoteCertificateValidation = AdmittingOnly(roles, fromClients.RemoteCertificateValidation!, reason => LogRefused(logger, "client", reason));
            var toSilos = ClusterTlsOptions.Client(credentials, reason => LogRefused(logger, "silo", reason));
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(fromSilos));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(fromClients));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(toSilos));
            LogTlsOn(logger, credentials.Certificate!.Subject, requireClients);
            if (roles.IsEmpty)
            {
                LogEveryCertificateAdmin(logger, GatewayCertificateRoles.Section);
            }
            else
            {
                LogCertificateRoles(logger, roles.Listed);
            }
        });
        return silo;
    }

    private static RemoteCertificateValidator AdmittingOnly(GatewayCertificateRoles roles, RemoteCertificateValidator trusted, Action<string> refused) =>
        (certificate, chain, errors) =>
        {
            if (!trusted(certificate, chain, errors))
            {
                return false;
            }
            var refusal = roles.Refusal(certificate);
            if (refusal is not null)
            {
                refused(refusal);
            }
            return refusal is null;
        };

    private static SiloTlsOptions Read(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(SiloTlsOptions.Section).Get<SiloTlsOptions>() ?? new SiloTlsOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new SiloConfigurationException($"{SiloTlsOptions.Section}: {e.Message}", e);
        }
    }

    private static TlsCredentials Load(SiloTlsOptions options)
    {
        TlsCredentials credentials;
        try
        {
            credentials = TlsCredentials.Load(new TlsSettings(options.CertificatePath, options.KeyPath, options.CertificatePassword, options.CaPath), Names);
        }
        catch (TlsSettingsException e)
        {
            throw new SiloConfigurationException(e.Message, e);
        }
        // Peers hold this silo to the same CA and usages; refusing here beats every peer refusing it later.
        var problem = new CertificateAuthorityValidator(credentials.Authorities).Check(
            credentials.Certificate!,
            presented: null,
            CertificateAuthorityValidator.ServerAuthentication,
            CertificateAuthorityValidator.ClientAuthentication);
        return problem is null
            ? credentials
            : throw new SiloConfigurationException($"{Names.CertificatePath}: {problem} (a silo's certificate must be signed by {Names.CaPath} and allow server and client authentication)");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS is on for silo and gateway connections with certificate {Subject}; client certificates required: {RequireClientCertificate}")]
    private static partial void LogTlsOn(ILogger logger, string subject, bool requireClientCertificate);

    [LoggerMessage(Level = LogLevel.Information, Message = "The gateway admits every client certificate the cluster's CA signed, as admin ({Section} lists none)")]
    private static partial void LogEveryCertificateAdmin(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "The gateway admits only the admin certificates of: {Certificates}")]
    private static partial void LogCertificateRoles(ILogger logger, string certificates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TLS connection with a {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);
}
