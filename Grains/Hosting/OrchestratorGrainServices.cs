using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Scheduling;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Telemetry;
using Orleans.Storage;

namespace Orchestrator.Grains.Hosting;

/// <summary>The services the grains need on every silo, besides the container runtime and storage.</summary>
public static class OrchestratorGrainServices
{
    /// <summary>
    /// Registers the grains' services. Grain state is stored with the Orleans serializer (whatever the
    /// provider): the state types are version-tolerant [GenerateSerializer] records, which the default
    /// JSON storage serializer does not round-trip.
    /// </summary>
    public static IServiceCollection AddOrchestratorGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // A silo given a cluster key registers its own vault first.
        services.TryAddSingleton(SecretVault.Off);
        return services
            .AddMetrics()
            .AddSingleton<OrchestratorMetrics>()
            .AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>()
            .AddSingleton<ClusterView>()
            .AddSingleton<NodeLiveness>()
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NodeLiveness>())
            .AddHostedService<NodeLossDetector>();
    }
}
