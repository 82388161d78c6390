using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Silo.Api;
using Xunit;

namespace Orchestrator.Tests.Api;

/// <summary>What a follower of a quiet stream reads: each item as one <c>data:</c> line, and a comment while nothing comes.</summary>
public sealed class HeartbeatEventStreamTests
{
    [Fact]
    public async Task Items_are_data_lines_and_quiet_spells_bring_heartbeat_comments_until_the_follower_leaves()
    {
        using var body = new MemoryStream();
        using var leave = new CancellationTokenSource();
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddOptions().BuildServiceProvider(),
            RequestAborted = leave.Token,
        };
        context.Response.Body = body;
        var stream = new HeartbeatEventStream<int[]>(OneItemThenQuietAsync(leave), TimeSpan.FromMilliseconds(20));

        await stream.ExecuteAsync(context).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("text/event-stream", context.Response.ContentType);
        var written = Encoding.UTF8.GetString(body.ToArray());
        Assert.StartsWith("data: [1,2]\n\n: heartbeat\n\n: heartbeat\n\n", written, StringComparison.Ordinal);
    }

    /// <summary>One item, then nothing until the follower leaves a second later, some fifty heartbeats on.</summary>
    private static async IAsyncEnumerable<SseItem<int[]>> OneItemThenQuietAsync(CancellationTokenSource leave, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new SseItem<int[]>([1, 2]);
        leave.CancelAfter(TimeSpan.FromSeconds(1));
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
