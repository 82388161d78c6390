using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// The orchestrator view: one static page at <c>/</c> that polls <c>GET /api/cluster</c> every two
/// seconds and draws nodes, jobs, tasks and recent events. The page is embedded in the assembly, so it
/// is served the same wherever the silo runs from, with no build step and nothing fetched from outside.
/// </summary>
public static class OrchestratorViewEndpoints
{
    private const string PageResource = "Orchestrator.Silo.Dashboard.index.html";

    /// <summary>Maps <c>/</c> (the page) and <c>/api/cluster</c> (its data, read from the grains on each request).</summary>
    public static IEndpointRouteBuilder MapOrchestratorView(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var page = ReadPage();
        endpoints.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(page, "text/html; charset=utf-8");
        });
        endpoints.MapGet("/api/cluster", async (IGrainFactory grains, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(await ClusterSnapshotReader.ReadAsync(grains));
        }).RequireAuthorization(ApiRoles.Read);
        return endpoints;
    }

    private static byte[] ReadPage()
    {
        using var stream = typeof(OrchestratorViewEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"embedded resource {PageResource} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
