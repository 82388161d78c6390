using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Bench.Engine;

/// <summary>The containers on an engine that carry one label (<c>key=value</c>): counted, awaited, removed.</summary>
internal static class LabelledContainers
{
    public static async Task<IList<ContainerListResponse>> ListAsync(DockerClient docker, string label, bool all) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });

    /// <summary>Force-removes every container with the label, running or not.</summary>
    public static async Task RemoveAsync(DockerClient docker, string label)
    {
        var all = await ListAsync(docker, label, all: true);
        await Task.WhenAll(all.Select(async c =>
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }
            catch (DockerContainerNotFoundException)
            {
                // Gone already.
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Being removed already.
            }
        }));
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the containers with the label to disappear; true when they did.</summary>
    public static async Task<bool> WaitGoneAsync(DockerClient docker, string label, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while ((await ListAsync(docker, label, all: true)).Count > 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(200);
        }
        return true;
    }
}
