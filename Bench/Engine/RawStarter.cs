using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// The floor: Docker.DotNet create + start of every container at once, the parallelism the node grain gives (it
/// is reentrant, so every task's run call is in flight together), with the resources orch reserves per replica.
/// Done when the last start call has returned.
/// </summary>
internal sealed class RawStarter(DockerClient docker, string run) : IStarter
{
    /// <summary>Valued with the tag of one start-up; what the engine watch and the removal look for.</summary>
    public const string Label = "orch.bench";

    /// <summary>Valued with the run's id, on everything the run makes, for the sweep at its end.</summary>
    public const string RunLabel = "orch.bench.run";

    public string Name => "raw";

    public async Task<StartResult> StartAsync(int count, string tag, CancellationToken cancellationToken)
    {
        var began = DateTimeOffset.UtcNow;
        await using var watch = EngineWatch.Start(docker, $"{Label}={tag}", began);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => StartOneAsync(tag, i, cancellationToken)));
        var seconds = clock.Elapsed.TotalSeconds;
        var timeline = await watch.WaitForStartsAsync(count, TimeSpan.FromSeconds(30), cancellationToken);
        return new StartResult(seconds, timeline, began);
    }

    public async Task RemoveAsync(string tag) => await LabelledContainers.RemoveAsync(docker, $"{Label}={tag}");

    private async Task StartOneAsync(string tag, int index, CancellationToken cancellationToken)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"orch-bench-{tag}-{index}"),
            Image = MainEngine.TestImage,
            Cmd = ["sleep", "3600"],
            Labels = new Dictionary<string, string> { [Label] = tag, [RunLabel] = run },
            HostConfig = new HostConfig { NanoCPUs = 10_000_000, Memory = 6L * 1024 * 1024 },
        }, cancellationToken);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
    }
}
