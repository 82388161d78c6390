using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Scheduling;

namespace Orchestrator.Grains.Hosting;

/// <summary>The services the grains need on every silo, besides the container runtime and storage.</summary>
public static class OrchestratorGrainServices
{
    public static IServiceCollection AddOrchestratorGrains(this IServiceCollection services) =>
        services
            .AddSingleton<ClusterView>()
            .AddHostedService<NodeLossDetector>();
}
