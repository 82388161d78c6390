using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Testing;

/// <summary>
/// A client of the <see cref="MainEngine"/> for tests, and the removal of what they leave on it.
/// Share one per test class with <c>IClassFixture</c>; give each test its own <see cref="DockerTestScope"/>.
/// </summary>
public sealed class DockerTestEngine : IDisposable
{
    /// <summary>The label every test container carries, valued with its scope's id.</summary>
    public const string ScopeLabel = "orch.test.scope";

    public DockerTestEngine()
    {
        Endpoint = MainEngine.Endpoint;
        Client = new DockerClientBuilder().WithEndpoint(new Uri(Endpoint)).Build();
    }

    public string Endpoint { get; }

    /// <summary>A raw client, for what a test checks beyond <see cref="IContainerRuntime"/>.</summary>
    public DockerClient Client { get; }

    public DockerContainerRuntime CreateRuntime(TimeSpan? callTimeout = null) =>
        new(Endpoint, NullLogger<DockerContainerRuntime>.Instance, callTimeout);

    /// <summary>A fresh label set and name prefix; disposing it removes every container that carries them.</summary>
    public DockerTestScope NewScope() => new(this);

    /// <summary>Force-removes every container, running or not, carrying all of <paramref name="labels"/>.</summary>
    public async Task RemoveContainersAsync(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            throw new ArgumentException("Refusing to remove every container on the engine: give at least one label.", nameof(labels));
        }

        var containers = await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = labels.ToDictionary(l => $"{l.Key}={l.Value}", _ => true),
            },
        });
        foreach (var container in containers)
        {
            try
            {
                await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone.
            }
        }
    }

    public void Dispose() => Client.Dispose();
}
