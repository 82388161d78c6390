using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Api;

/// <summary>
/// Server-Sent Events of JSON items with a comment (<c>: heartbeat</c>) whenever <paramref name="heartbeat"/> passes
/// without an item. ASP.NET Core's own Server-Sent Events result writes no comments, hence this one.
/// </summary>
internal sealed class HeartbeatEventStream<T>(IAsyncEnumerable<SseItem<T>> items, TimeSpan heartbeat) : IResult
{
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        httpContext.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var aborted = httpContext.RequestAborted;

        await using var enumerator = items.GetAsyncEnumerator(aborted);
        var next = enumerator.MoveNextAsync().AsTask();
        try
        {
            await response.Body.FlushAsync(aborted);
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(heartbeat, aborted)) != next)
                {
                    aborted.ThrowIfCancellationRequested();
                    await response.Body.WriteAsync(Heartbeat, aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }
                if (!await next)
                {
                    return;
                }
                // Compact JSON holds no line break, so one data line carries the whole item.
                await response.WriteAsync($"data: {JsonSerializer.Serialize(enumerator.Current.Data, json)}\n\n", aborted);
                await response.Body.FlushAsync(aborted);
                next = enumerator.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The follower went away: that is how a stream ends.
        }
        finally
        {
            // The enumerator may not be disposed while a step of it runs; that step ends soon, cancelled with the request.
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
