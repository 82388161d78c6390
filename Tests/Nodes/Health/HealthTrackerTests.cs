using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Health;
using Xunit;

namespace Orchestrator.Tests.Nodes.Health;

public sealed class HealthTrackerTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void The_threshold_of_failures_in_a_row_makes_the_verdict_with_the_last_failure()
    {
        var tracker = new HealthTracker("c1", failureThreshold: 3);

        var first = tracker.Record(ProbeResult.Fail("http GET /x returned 500"), Now);
        var second = tracker.Record(ProbeResult.Fail("http GET /x returned 503"), Now);
        var third = tracker.Record(ProbeResult.Fail("http GET /x returned 404"), Now);

        Assert.Equal((HealthStatus.Failing, 1), (first!.Status, first.ConsecutiveFailures));
        Assert.Equal((HealthStatus.Failing, 2), (second!.Status, second.ConsecutiveFailures));
        Assert.Equal((HealthStatus.Unhealthy, 3), (third!.Status, third.ConsecutiveFailures));
        Assert.Equal("http GET /x returned 404", third.LastFailure);
        Assert.Equal("c1", third.ContainerId);
        Assert.Null(tracker.Record(ProbeResult.Pass, Now));
    }

    [Fact]
    public void A_pass_resets_the_count_and_passes_while_healthy_are_not_news()
    {
        var tracker = new HealthTracker("c1", failureThreshold: 2);

        Assert.Equal(HealthStatus.Healthy, tracker.Record(ProbeResult.Pass, Now)!.Status);
        Assert.Null(tracker.Record(ProbeResult.Pass, Now));
        Assert.Equal(HealthStatus.Failing, tracker.Record(ProbeResult.Fail("down"), Now)!.Status);
        var recovered = tracker.Record(ProbeResult.Pass, Now);
        Assert.Equal((HealthStatus.Healthy, 0, "down"), (recovered!.Status, recovered.ConsecutiveFailures, recovered.LastFailure));
        Assert.Equal(HealthStatus.Failing, tracker.Record(ProbeResult.Fail("down"), Now)!.Status);
    }
}
