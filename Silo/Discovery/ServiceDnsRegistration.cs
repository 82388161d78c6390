using System.Globalization;
using System.Net;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Discovery;

/// <summary>Adds the silo's DNS server for the <c>orch</c> zone when <c>Dns:Port</c> is set; off by default.</summary>
internal static class ServiceDnsRegistration
{
    public static IServiceCollection AddServiceDns(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var port = configuration["Dns:Port"];
        if (string.IsNullOrEmpty(port) || port == "0")
        {
            return services;
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > IPEndPoint.MaxPort)
        {
            throw new SiloConfigurationException($"Dns:Port must be a port from 1 to 65535, or 0 for no DNS (got '{port}')");
        }
        var endpoint = new IPEndPoint(ListenAddress.Read(configuration, "Dns:Address"), number);
        services.AddSingleton<EndpointCache>();
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ServiceDnsServer>(provider, endpoint));
        return services;
    }
}
