using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Discovery;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Api;

/// <summary>Where a job's replicas are reached: the rows of <c>orch endpoints --json</c>, as a list or followed as Server-Sent Events.</summary>
internal static class DiscoveryEndpoints
{
    /// <summary>How often a followed stream reads the endpoints again, as <c>orch endpoints -f</c> does.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a followed stream stays silent before it sends a comment to show it is alive.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    public static void Map(RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("discovery");
        jobs.MapGet("/{name}/endpoints", ListAsync)
            .WithName("jobEndpoints").WithSummary("Where the job's Running replicas are reached, one row per published port, with whether each is healthy (orch endpoints NAME).")
            .Produces<IReadOnlyList<EndpointRow>>().ProducesNotFound();
        jobs.MapGet("/{name}/endpoints/stream", StreamAsync)
            .WithName("streamJobEndpoints").WithSummary("The job's endpoints as Server-Sent Events (orch endpoints NAME -f): the whole set at once, then the whole set again whenever it changes, and a comment every 10 s of quiet.")
            .Produces<IReadOnlyList<EndpointRow>>(StatusCodes.Status200OK, "text/event-stream").ProducesNotFound();
    }

    private static async Task<IResult> ListAsync(string name, IGrainFactory grains) =>
        Results.Ok(await ClusterReader.GetEndpointsAsync(grains, name));

    private static async Task<IResult> StreamAsync(string name, IGrainFactory grains, HttpContext context)
    {
        // An unknown job is a 404 now, not a stream that ends at once.
        await ClusterReader.GetJobAsync(grains, name);
        var feed = EndpointFeed.FollowAsync(() => ClusterReader.GetEndpointsAsync(grains, name), PollInterval, context.RequestAborted);
        return ApiStreams.WithHeartbeat(feed, context, Heartbeat);
    }
}
