using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs.Rollout;

/// <summary>When a rolling job's timer looks at its tasks next, as a table.</summary>
public sealed class RolloutMonitorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(null, null)] // a task it waits on is not Ready: only asking tells when it is
    [InlineData(-5000, null)] // the quiet time is past
    [InlineData(500, null)] // sooner than the interval: looking at the interval is soon enough
    [InlineData(5000, 5100)] // every task counts 5 s from now: looked at just after, not every second until then
    public void While_nothing_can_change_before_a_task_counts_the_timer_waits_until_just_after(int? quietInMs, int? waitsMs)
    {
        var deferral = RolloutMonitor.Deferral(quietInMs is { } q ? Now.AddMilliseconds(q) : null, Now, Interval);

        Assert.Equal(waitsMs is { } w ? TimeSpan.FromMilliseconds(w) : null, deferral);
    }
}
