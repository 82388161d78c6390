using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Orchestrator.Operations.Failures;

namespace Orchestrator.Silo.Api;

/// <summary>
/// Server-Sent Events for what the API follows (logs, events, endpoints). Once a stream has begun its status is sent, so a
/// failure on the way ends the stream (and is logged) instead of becoming an error answer.
/// </summary>
internal static class ApiStreams
{
    public static IResult Of<T>(IAsyncEnumerable<T> items, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiStreams).FullName!);
        return TypedResults.ServerSentEvents(EndQuietly(items, context, logger));
    }

    /// <summary>
    /// Like <see cref="Of{T}"/>, with a comment line every <paramref name="heartbeat"/> while no item comes: a follower
    /// (a load balancer) that waits long for a change then still sees that the stream is alive, and proxies that
    /// close idle connections keep it open.
    /// </summary>
    public static IResult WithHeartbeat<T>(IAsyncEnumerable<T> items, HttpContext context, TimeSpan heartbeat)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiStreams).FullName!);
        return new HeartbeatEventStream<T>(EndQuietly(items, context, logger), heartbeat);
    }

    private static async IAsyncEnumerable<SseItem<T>> EndQuietly<T>(IAsyncEnumerable<T> items, HttpContext context, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && e is not OperationCanceledException)
            {
                var reason = ClusterFailures.FirstLine((ClusterFailures.OwnCause(e) ?? e).Message);
                ApiLog.StreamEnded(logger, context.Request.Path, reason);
                yield break;
            }
            yield return new SseItem<T>(enumerator.Current);
        }
    }
}
