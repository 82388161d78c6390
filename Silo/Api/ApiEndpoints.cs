using Microsoft.AspNetCore.DataProtection;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>
/// The versioned HTTP API (docs/CONTRACT.md, HTTP API) on the silo's dashboard port: the calls of <c>orch</c> with the shapes of
/// <c>orch --json</c>, read and made through the same code, every route behind a bearer token's role, and an OpenAPI
/// document at <c>/v1/openapi.json</c>.
/// </summary>
internal static class ApiEndpoints
{
    public const string Version = "v1";

    private static readonly int[] EveryRouteMayAnswer =
    [
        StatusCodes.Status401Unauthorized,
        StatusCodes.Status403Forbidden,
        StatusCodes.Status503ServiceUnavailable,
    ];

    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiAuth(configuration);
        // Nothing here protects data (tokens are compared, never issued), but authentication brings data protection
        // along: keys in memory keep its key ring off the disk, and its warning about unencrypted keys out of the log.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.ConfigureHttpJsonOptions(options => OutputJson.Configure(options.SerializerOptions));
        services.AddOpenApi(Version, options =>
        {
            options.ShouldInclude = description => description.GroupName == Version;
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return services;
    }

    public static WebApplication MapOrchestratorApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/" + Version), branch => branch.UseStatusCodePages(ApiErrors.DescribeStatusAsync));
        var api = app.MapGroup("/" + Version)
            .WithGroupName(Version)
            .RequireAuthorization(ApiRoles.Read)
            .AddEndpointFilter<ApiErrorFilter>();
        foreach (var status in EveryRouteMayAnswer)
        {
            api.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ApiError), ["application/json"]));
        }
        JobEndpoints.Map(api);
        DiscoveryEndpoints.Map(api);
        TaskEndpoints.Map(api);
        EventEndpoints.Map(api);
        NodeEndpoints.Map(api);
        SecretEndpoints.Map(api);
        // Open to all: it describes the API and how to authenticate, and holds nothing of the cluster.
        app.MapOpenApi("/{documentName}/openapi.json");
        return app;
    }
}
