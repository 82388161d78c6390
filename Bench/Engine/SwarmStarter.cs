using System.Globalization;
using Docker.DotNet;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// <c>docker service create --replicas N</c> of the same image and command, with the same CPU and memory limits,
/// on the same engine in swarm mode. Done when the engine has started the N-th container; timed from the
/// service's creation time as the swarm manager stamped it, so the CLI's own start-up is not counted against Swarm.
/// </summary>
internal sealed class SwarmStarter(DockerClient docker, string run) : IStarter
{
    public string Name => "swarm";

    public async Task<StartResult> StartAsync(int count, string tag, CancellationToken cancellationToken)
    {
        var label = $"{RawStarter.Label}={tag}";
        await using var watch = EngineWatch.Start(docker, label, DateTimeOffset.UtcNow);
        var id = (await HostCommand.RunCheckedAsync("docker", "service", "create", "--detach", "--quiet",
            "--name", ServiceName(tag),
            "--replicas", count.ToString(CultureInfo.InvariantCulture),
            "--no-resolve-image",
            "--limit-cpu", "0.01", "--limit-memory", "6m",
            "--stop-grace-period", "1s",
            "--label", label, "--container-label", label, "--container-label", $"{RawStarter.RunLabel}={run}",
            MainEngine.TestImage, "sleep", "3600")).Trim();
        var service = await docker.Swarm.InspectServiceAsync(id, cancellationToken);
        var began = service.CreatedAt is { } created
            ? new DateTimeOffset(created.ToUniversalTime())
            : throw new InvalidOperationException($"service {id} has no creation time");
        var timeline = await watch.WaitForStartsAsync(count, TimeSpan.FromMinutes(5), cancellationToken);
        var seconds = (timeline.LastStart!.Value - began).TotalSeconds;
        var running = (await LabelledContainers.ListAsync(docker, label, all: false)).Count;
        if (running < count)
        {
            throw new InvalidOperationException($"swarm started {count} containers but only {running} still run");
        }
        return new StartResult(seconds, timeline, began);
    }

    public async Task RemoveAsync(string tag)
    {
        var label = $"{RawStarter.Label}={tag}";
        await HostCommand.RunAsync("docker", "service", "rm", ServiceName(tag));
        if (!await LabelledContainers.WaitGoneAsync(docker, label, TimeSpan.FromSeconds(60)))
        {
            await LabelledContainers.RemoveAsync(docker, label);
        }
    }

    private static string ServiceName(string tag) => "orch-bench-" + tag;
}
