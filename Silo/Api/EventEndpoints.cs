using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Api;

/// <summary>Task events: the rows of <c>orch events --json</c>, as a list or, as <c>orch events -f</c> follows them, as Server-Sent Events.</summary>
internal static class EventEndpoints
{
    /// <summary>How often a followed stream looks for new events, as <c>orch events -f</c> does.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static void Map(RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("events");
        events.MapGet("/", ListAsync)
            .WithName("listEvents").WithSummary("Every task event, oldest first (orch events); only one job's with job=NAME.")
            .Produces<IReadOnlyList<EventRow>>().ProducesNotFound();
        events.MapGet("/stream", StreamAsync)
            .WithName("streamEvents").WithSummary("Task events as Server-Sent Events (orch events -f): every event so far, then each new one as it happens.")
            .Produces<EventRow>(StatusCodes.Status200OK, "text/event-stream").ProducesNotFound();
    }

    private static async Task<IResult> ListAsync(string? job, IGrainFactory grains) =>
        Results.Ok(await ClusterReader.GetEventsAsync(grains, job));

    private static async Task<IResult> StreamAsync(string? job, IGrainFactory grains, HttpContext context)
    {
        if (job is not null)
        {
            // An unknown job is a 404 now, not a stream that ends at once.
            await ClusterReader.GetJobAsync(grains, job);
        }
        var feed = EventFeed.FollowAsync(() => ClusterReader.GetEventsAsync(grains, job), PollInterval, context.RequestAborted);
        return ApiStreams.Of(feed, context);
    }
}
