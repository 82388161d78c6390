namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>Which container runtime a node runs its tasks on (<c>Orchestrator:Runtime</c>).</summary>
public enum ContainerRuntimeKind
{
    /// <summary>The Docker engine at <c>Orchestrator:DockerEndpoint</c>.</summary>
    Docker,

    /// <summary>Starts nothing; for benchmarks and tests.</summary>
    Simulated,
}
