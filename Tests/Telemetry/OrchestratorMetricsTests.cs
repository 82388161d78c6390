using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Telemetry;

/// <summary>The orchestrator's histograms and counters count what the grains did, on a simulated node.</summary>
public sealed class OrchestratorMetricsTests
{
    [Fact]
    public async Task Placing_n_tasks_records_n_placements_and_n_starts()
    {
        const int replicas = 5;
        await using var cluster = await GrainTestCluster.StartAsync();
        // Only this silo's meters: tests running beside this one have silos of their own.
        var meters = cluster.ServicesOf(cluster.Node).GetRequiredService<IMeterFactory>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == OrchestratorMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Count(seen, instrument.Name, tags));
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Count(seen, instrument.Name, tags));
        listener.Start();

        await cluster.Client.GetJob("histo").SubmitAsync(new JobSpec
        {
            Name = "histo",
            Image = "orch-test/busybox:latest",
            Replicas = replicas,
            Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        });
        await cluster.WaitForTasksAsync("histo", t => t.Count(x => x.State == TaskState.Running) == replicas);

        lock (seen)
        {
            Assert.Equal(replicas, seen.GetValueOrDefault("orch.placement.duration"));
            Assert.Equal(replicas, seen.GetValueOrDefault("orch.placements/placed"));
            Assert.Equal(replicas, seen.GetValueOrDefault("orch.task.start.duration"));
        }
    }

    private static void Count(Dictionary<string, int> seen, string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument;
        foreach (var tag in tags)
        {
            if (tag.Key == "result")
            {
                key += "/" + tag.Value;
            }
        }
        lock (seen)
        {
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }
    }
}
