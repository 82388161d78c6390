using System.Net;
using Microsoft.Extensions.Options;
using Orchestrator.Grains;
using Orchestrator.Grains.Hosting;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Placement;
using Orchestrator.Grains.Nodes.Stats;
using Orchestrator.Grains.Scheduling;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Tasks;
using Orchestrator.Silo.Api;
using Orchestrator.Silo.Auth;
using Orchestrator.Silo.Dashboard;
using Orchestrator.Silo.Discovery;
using Orchestrator.Silo.Hosting.Testing;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Telemetry;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Orchestrator.Silo.Hosting;

/// <summary>Everything a silo of the orchestrator is made of, bound from configuration (docs/CONTRACT.md, Silo configuration).</summary>
public static partial class OrchestratorSiloExtensions
{
    /// <summary>Adds the Orleans silo, its storage, the node's container runtime, the dashboard and the HTTP API's services.</summary>
    public static WebApplicationBuilder AddOrchestratorSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        var orleans = services.AddBoundOptions(configuration, SiloOrleansOptions.Section, new SiloOrleansOptionsValidator());
        var dashboard = services.AddBoundOptions(configuration, SiloDashboardOptions.Section, new SiloDashboardOptionsValidator());
        // By default containers publish where other machines reach this silo, which is loopback only on a single machine.
        var node = services.AddBoundOptions(configuration, NodeOptions.Section, new NodeOptionsValidator(), o => o.PortHost = orleans.AdvertisedAddress.ToString());
        services.AddBoundOptions(configuration, SchedulerOptions.Section, new SchedulerOptionsValidator());
        services.AddBoundOptions(configuration, JobOptions.Section, new JobOptionsValidator());
        services.AddBoundOptions<TaskOptions>(configuration, TaskOptions.Section);
        var secrets = services.AddBoundOptions<SecretsOptions>(configuration, SecretsOptions.Section);
        var connectionString = configuration.GetConnectionString("Orleans");

        services.AddContainerRuntime(node);
        services.AddSecrets(secrets);
        services.AddOrchestratorGrains();
        services.AddSingleton<IMachineStats>(new ProcMachineStats(reuseFor: TimeSpan.FromSeconds(1)));

        services.AddOrchestratorApi(configuration);
        services.AddServiceDns(configuration);
        services.AddOrchestratorTelemetry(configuration, node.NodeName);

        // Kestrel serves the dashboard and the API, on loopback unless told otherwise.
        builder.WebHost.UseUrls($"http://{dashboard.Endpoint}");

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = node.NodeName);
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{SiloOrleansOptions.Section}:Membership"));
            silo.ConfigureEndpoints(orleans.AdvertisedAddress, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseOrchestratorTls(configuration);
            if (connectionString is not null)
            {
                silo.UsePostgres(connectionString, StorageNames.Orchestrator);
            }
            else
            {
                silo.UseDevelopmentClustering(new IPEndPoint(orleans.AdvertisedAddress, orleans.SiloPort));
                silo.AddMemoryGrainStorage(StorageNames.Orchestrator);
                silo.UseInMemoryReminderService();
            }
            silo.AddPlacementDirector<NodePlacementStrategy, NodePlacementDirector>();
            silo.AddIncomingGrainCallFilter<InternalCallFilter>();
            silo.AddActivityPropagation();
            // Off unless a fault-injection test sets Orchestrator:Testing:CallFaults.
            silo.UseTestingCallFaults(configuration);
            if (dashboard.Enabled)
            {
                silo.AddDashboard();
            }
        });

        services.AddHostedService<NodeStartupService>();
        if (connectionString is null)
        {
            services.AddHostedService<InMemoryStateWarning>();
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
        if (app.Services.GetRequiredService<IOptions<SiloDashboardOptions>>().Value.Enabled)
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
