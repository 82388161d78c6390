using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Silo.Hosting;

/// <summary>Chooses this node's container runtime from <c>Orchestrator:Runtime</c>.</summary>
internal static class ContainerRuntimeRegistration
{
    public static IServiceCollection AddContainerRuntime(this IServiceCollection services, NodeOptions options) =>
        options.Runtime == ContainerRuntimeKind.Simulated
            ? services.AddSingleton<IContainerRuntime>(new SimulatedContainerRuntime(name: options.NodeName))
            : services.AddSingleton<IContainerRuntime>(sp => new DockerContainerRuntime(
                options.DockerEndpoint,
                sp.GetRequiredService<ILogger<DockerContainerRuntime>>(),
                credentials: new RegistryCredentials(string.IsNullOrEmpty(options.RegistryAuthFile)
                    ? RegistryCredentials.DefaultPath(Environment.GetEnvironmentVariable)
                    : options.RegistryAuthFile),
                secrets: new SecretMounts(options.SecretsMountRoot)));
}
