using Microsoft.Extensions.Time.Testing;
using Orchestrator.Grains.Nodes.Sweep;
using Xunit;

namespace Orchestrator.Tests.Nodes.Sweep;

public sealed class TaskChangesTests
{
    [Fact]
    public void A_restarted_node_lists_at_a_generation_newer_than_its_earlier_life_handed_out()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var earlierLife = new TaskChanges(clock);
        var started = earlierLife.Touch("web-0-abc");

        clock.Advance(TimeSpan.FromSeconds(20));
        var restarted = new TaskChanges(clock);

        Assert.True(restarted.Mark() > started);
    }

    [Fact]
    public void A_change_after_a_list_is_newer_than_the_list_even_within_one_clock_tick()
    {
        var changes = new TaskChanges(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        var listedAt = changes.Mark();
        changes.Touch("web-0-abc");

        Assert.True(changes.ChangedSince("web-0-abc", listedAt));
        Assert.Contains("web-0-abc", changes.ChangedSince(listedAt));
    }
}
