namespace Orchestrator.Silo.Api;

/// <summary>The error answers an endpoint documents besides 401, 403 and 503, which every endpoint may give.</summary>
internal static class ApiRouteExtensions
{
    public static RouteHandlerBuilder ProducesInvalid(this RouteHandlerBuilder route) =>
        route.Produces<ApiError>(StatusCodes.Status400BadRequest);

    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder route) =>
        route.Produces<ApiError>(StatusCodes.Status404NotFound);
}
