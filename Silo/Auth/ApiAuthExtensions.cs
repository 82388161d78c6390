using Microsoft.AspNetCore.Authentication;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Auth;

/// <summary>Bearer tokens and one authorization policy per role (named after the role), for the HTTP API.</summary>
internal static class ApiAuthExtensions
{
    /// <summary>Reads <c>Auth:Tokens</c> (throwing <see cref="SiloConfigurationException"/> for what it cannot use) and registers the scheme and the policies.</summary>
    public static IServiceCollection AddApiAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var tokens = ApiTokens.Read(configuration);
        services.AddSingleton(tokens);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in ApiRoles.All)
        {
            authorization.AddPolicy(role, policy => policy
                .AddAuthenticationSchemes(BearerTokenHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(ApiRoles.AtLeast(role)));
        }
        services.AddHostedService<ApiAccessNotice>();
        return services;
    }
}
