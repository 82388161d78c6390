using Orchestrator.Operations.Discovery;
using Orchestrator.Operations.Output;
using Xunit;

namespace Orchestrator.Tests.Discovery;

/// <summary>What a follower of a job's endpoints (orch endpoints -f, the API's stream) is sent: the set, then each different set.</summary>
public sealed class EndpointFeedTests
{
    [Fact]
    public async Task Sends_the_whole_set_at_once_then_again_only_when_it_changes()
    {
        var one = new EndpointRow("web-0-aaaaaa", "a", "10.0.0.1", 40001, 8080, true);
        var two = new EndpointRow("web-1-bbbbbb", "b", "10.0.0.2", 40002, 8080, true);
        // Reads as a follower meets them: equal sets are new lists every time, as every read makes them.
        IReadOnlyList<EndpointRow>[] reads = [[one], [one], [one, two], [one, two], [one, two with { Healthy = false }], [], []];
        var next = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var sent = new List<IReadOnlyList<EndpointRow>>();
        await foreach (var set in EndpointFeed.FollowAsync(() => Task.FromResult<IReadOnlyList<EndpointRow>>([.. reads[Math.Min(next++, reads.Length - 1)]]), TimeSpan.Zero, stop.Token))
        {
            sent.Add(set);
            if (sent.Count == 4)
            {
                break;
            }
        }

        Assert.Equal<IEnumerable<EndpointRow>>([[one], [one, two], [one, two with { Healthy = false }], []], sent);
        Assert.Equal(6, next);
    }
}
