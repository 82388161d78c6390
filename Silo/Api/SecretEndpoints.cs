using Orchestrator.Abstractions.Secrets;
using Orchestrator.Operations.Output;
using Orchestrator.Operations.Secrets;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>Secrets: the calls and shapes of <c>orch secret create</c>, <c>ls</c> and <c>rm</c>. No route ever answers a value.</summary>
internal static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/secrets").WithTags("secrets");
        secrets.MapGet("/", ListAsync)
            .WithName("listSecrets").WithSummary("Every secret's name, size and creation time (orch secret ls); never a value.")
            .Produces<IReadOnlyList<SecretRow>>();
        secrets.MapPost("/{name}", CreateAsync)
            .WithName("createSecret").WithSummary($"Stores the request body's bytes (1 to {SecretRules.MaxValueBytes}, any Content-Type) as the secret NAME, encrypted (orch secret create).")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<SecretRow>().ProducesInvalid()
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        secrets.MapDelete("/{name}", RemoveAsync)
            .WithName("removeSecret").WithSummary("Removes a secret (orch secret rm); refused (409) while a job that is not stopped uses it.")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<SecretRow>().ProducesInvalid().ProducesNotFound()
            .Produces<ApiError>(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var secrets = await SecretActions.ListAsync(grains);
        return Results.Ok(secrets.Select(SecretRow.From).ToList());
    }

    private static async Task<IResult> CreateAsync(string name, HttpRequest request, IGrainFactory grains)
    {
        var value = await ApiBody.ReadBytesAsync(request, SecretRules.MaxValueBytes);
        return Results.Ok(SecretRow.From(await SecretActions.CreateAsync(grains, name, value)));
    }

    private static async Task<IResult> RemoveAsync(string name, IGrainFactory grains) =>
        Results.Ok(SecretRow.From(await SecretActions.RemoveAsync(grains, name)));
}
