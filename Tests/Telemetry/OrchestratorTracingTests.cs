using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Telemetry;

/// <summary>A submission and what follows from it are one trace, though each task places itself from a timer.</summary>
public sealed class OrchestratorTracingTests
{
    [Fact]
    public async Task A_submission_its_placements_reservations_and_starts_are_one_trace()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // Orleans' own sources must be listened to: its grain call filter carries a span only when it made one.
            ShouldListenTo = source => source.Name == OrchestratorTracing.SourceName || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == OrchestratorTracing.SourceName)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await cluster.Client.GetJob("traced").SubmitAsync(new JobSpec
        {
            Name = "traced",
            Image = "orch-test/busybox:latest",
            Replicas = 2,
            Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
        });
        await cluster.WaitForTasksAsync("traced", t => t.Count(x => x.State == TaskState.Running) == 2);

        var submit = Assert.Single(spans, s => s.OperationName == "submit job" && (string?)s.GetTagItem("orch.job") == "traced");
        var trace = spans.Where(s => s.TraceId == submit.TraceId).ToList();
        Assert.Equal(2, trace.Count(s => s.OperationName == "place task"));
        Assert.Equal(2, trace.Count(s => s.OperationName == "start container"));
        Assert.True(trace.Count(s => s.OperationName == "reserve") >= 2, string.Join(", ", trace.Select(s => s.OperationName)));
    }
}
