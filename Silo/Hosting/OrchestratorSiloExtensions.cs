using System.Net;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Stats;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orchestrator.Silo.Api;
using Orchestrator.Silo.Dashboard;
using Orchestrator.Silo.Discovery;
using Orchestrator.Silo.Auth;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Hosting.Testing;
using Orchestrator.Silo.Telemetry;

namespace Orchestrator.Silo.Hosting;

/// <summary>Everything a silo of the orchestrator is made of, bound from configuration (docs/CONTRACT.md, Silo configuration).</summary>
public static partial class OrchestratorSiloExtensions
{
    /// <summary>Adds the Orleans silo, its storage, the node's container runtime, the dashboard and the HTTP API's services.</summary>
    public static WebApplicationBuilder AddOrchestratorSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var orchestrator = configuration.GetSection(OrchestratorOptions.Section).Get<OrchestratorOptions>() ?? new OrchestratorOptions();
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "orchestrator";
        var serviceId = orleans["ServiceId"] ?? "orchestrator";
        var advertisedIp = IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1");
        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);
        var connectionString = configuration.GetConnectionString("Orleans");
        var dashboardPort = configuration.GetValue("Dashboard:Port", 8080);
        var dashboardAddress = ListenAddress.Read(configuration, "Dashboard:Address");

        builder.Services.AddOptions<OrchestratorOptions>()
            // Before the binding, so that a configured PortHost wins: by default containers publish where other
            // machines reach this silo, which is loopback only on a single machine.
            .Configure(o => o.PortHost = advertisedIp.ToString())
            .Bind(configuration.GetSection(OrchestratorOptions.Section))
            .Validate(o => SchedulerNames.All.Contains(o.DefaultScheduler), $"Orchestrator:DefaultScheduler must be one of {string.Join(", ", SchedulerNames.All)}")
            .Validate(o => !string.IsNullOrWhiteSpace(o.NodeName), "Orchestrator:NodeName must not be empty")
            .Validate(o => IPAddress.TryParse(o.PortHost, out _), "Orchestrator:PortHost must be an IP address such as 10.0.0.5 or 127.0.0.1")
            .Validate(o => o.Runtime is "docker" or "simulated", "Orchestrator:Runtime must be docker or simulated")
            .Validate(o => !o.NodeName.Contains(NodeNames.Separator, StringComparison.Ordinal), $"Orchestrator:NodeName must not contain '{NodeNames.Separator}'")
            .Validate(o => o.SimulatedNodes is >= 1 and <= 1000, "Orchestrator:SimulatedNodes must be between 1 and 1000")
            .Validate(o => o.SimulatedNodes == 1 || o.Runtime == "simulated", "Orchestrator:SimulatedNodes above 1 needs Orchestrator:Runtime simulated")
            .Validate(o => o.TaskRetention >= TimeSpan.Zero, "Orchestrator:TaskRetention must not be negative")
            .Validate(o => o.NodeRestartGrace >= TimeSpan.Zero && o.NodeRestartGrace <= TimeSpan.FromHours(1), "Orchestrator:NodeRestartGrace must be between 0 and 1 hour")
            .Validate(o => o.NodeLossCheckInterval >= TimeSpan.FromMilliseconds(100) && o.NodeLossCheckInterval <= TimeSpan.FromMinutes(10), "Orchestrator:NodeLossCheckInterval must be between 100 ms and 10 minutes")
            .Validate(o => o.ImagePullTimeout >= TimeSpan.FromSeconds(1) && o.ImagePullTimeout <= TimeSpan.FromDays(1), "Orchestrator:ImagePullTimeout must be between 1 second and 1 day")
            .Validate(o => string.IsNullOrEmpty(o.RegistryAuthFile) || File.Exists(o.RegistryAuthFile), "Orchestrator:RegistryAuthFile must name an existing Docker config.json")
            .ValidateOnStart();
        builder.Services.AddContainerRuntime(orchestrator);
        builder.Services.AddSecrets(orchestrator);
        builder.Services.AddOrchestratorGrains();
        builder.Services.AddSingleton<IMachineStats>(new ProcMachineStats(reuseFor: TimeSpan.FromSeconds(1)));

        builder.Services.AddOrchestratorApi(configuration);
        builder.Services.AddServiceDns(configuration);
        builder.Services.AddOrchestratorTelemetry(configuration, orchestrator.NodeName);

        // Kestrel serves the dashboard and the API, on loopback unless told otherwise; port 0 leaves it on an unused
        // loopback port with nothing mapped.
        var listen = dashboardPort > 0 ? new IPEndPoint(dashboardAddress, dashboardPort) : new IPEndPoint(IPAddress.Loopback, 0);
        builder.WebHost.UseUrls($"http://{listen}");

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = orchestrator.NodeName);
            silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
            silo.ConfigureEndpoints(advertisedIp, siloPort, gatewayPort, listenOnAnyHostAddress: true);
            silo.UseOrchestratorTls(configuration);
            if (connectionString is not null)
            {
                silo.UsePostgres(connectionString, StorageNames.Orchestrator);
            }
            else
            {
                silo.UseDevelopmentClustering(new IPEndPoint(advertisedIp, siloPort));
                silo.AddMemoryGrainStorage(StorageNames.Orchestrator);
                silo.UseInMemoryReminderService();
            }
            silo.AddPlacementDirector<NodePlacementStrategy, NodePlacementDirector>();
            silo.AddIncomingGrainCallFilter<InternalCallFilter>();
            silo.AddActivityPropagation();
            // Off unless a fault-injection test sets Orchestrator:Testing:CallFaults.
            silo.UseTestingCallFaults(configuration);
            if (dashboardPort > 0)
            {
                silo.AddDashboard();
            }
        });

        builder.Services.AddHostedService<NodeStartupService>();
        if (connectionString is null)
        {
            builder.Services.AddHostedService<InMemoryStateWarning>();
        }
        return builder;
    }

    /// <summary>
    /// Serves the orchestrator view at /, the Orleans dashboard at /dashboard, the HTTP API at /v1 and metrics at /metrics when
    /// <c>Dashboard:Port</c> is not 0.
    /// </summary>
    public static WebApplication MapOrchestratorEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetValue("Dashboard:Port", 8080) > 0)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard")
                .RequireAuthorization(ApiRoles.Read)
                .AddEndpointFilter(GrainStateGate.FilterAsync);
            app.MapSession();
            app.MapOrchestratorView();
            app.MapOrchestratorApi();
            app.MapOrchestratorMetrics();
        }
        return app;
    }
}
