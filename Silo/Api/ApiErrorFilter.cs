namespace Orchestrator.Silo.Api;

/// <summary>Turns what an API endpoint throws into its answer (<see cref="ApiErrors.Answer"/>), so that no endpoint catches for itself.</summary>
internal sealed class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.Answer(e, context.HttpContext, logger) is { } answer)
        {
            return answer;
        }
    }
}
