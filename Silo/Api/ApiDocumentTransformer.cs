using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>Names the OpenAPI document and declares the bearer token every route needs.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info.Title = "orch HTTP API";
        document.Info.Description = "The calls of the orch command line, with the shapes of orch --json. Errors are {error, field?, rule?}.";
        document.AddComponent<IOpenApiSecurityScheme>(BearerTokenHandler.SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token of Auth:Tokens; its role (read, operate, admin) decides what it may do. Without any token configured, callers on loopback need none.",
        });
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerTokenHandler.SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
