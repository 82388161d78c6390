using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Orchestrator.Silo.Api;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// Who calls the API: the holder of a configured bearer token (<c>Authorization: Bearer SECRET</c>), with its role.
/// With no token configured, a caller on loopback is an admin, as anyone on the machine is at the gateway, and
/// nobody else is let in. The pages send the token as a session cookie (<see cref="SessionCookie"/>), for reads only.
/// Refusals are answered as the API answers errors: 401, or 403, with one JSON line; a page is sent to sign in.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The name a loopback caller goes by when no token is configured.</summary>
    public const string LoopbackName = "loopback";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (tokens.IsEmpty)
        {
            return Task.FromResult(IsLoopback(Context.Connection.RemoteIpAddress)
                ? Success(LoopbackName, ApiRoles.Admin)
                : AuthenticateResult.Fail($"no API token is configured ({ApiTokens.Section}), so the API answers only on loopback"));
        }
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            // The pages cannot set a header on a navigation: they hold the token in a session cookie, good for reads
            // only, so a page elsewhere that gets the browser to send it can change nothing.
            return Task.FromResult(HttpMethods.IsGet(Request.Method) && Request.Cookies[SessionCookie.Name] is { Length: > 0 } cookie
                ? tokens.Match(cookie) is { } holder ? Success(holder.Name, holder.Role) : AuthenticateResult.Fail("the session's token is no longer valid; sign in again")
                : AuthenticateResult.NoResult());
        }
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !SchemeName.Equals(value.Scheme, StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(value.Parameter))
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header must be 'Bearer TOKEN'"));
        }
        return Task.FromResult(tokens.Match(value.Parameter) is { } token
            ? Success(token.Name, token.Role)
            : AuthenticateResult.Fail("the bearer token is not valid"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (tokens.IsEmpty)
        {
            // No token could help: the refusal is for where the call comes from.
            await ApiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, result.Failure?.Message ?? "the API answers only on loopback").ConfigureAwait(false);
            return;
        }
        if (SessionCookie.IsPageNavigation(Request))
        {
            Response.Redirect(SessionCookie.SignInPath(Request));
            return;
        }
        Response.Headers.WWWAuthenticate = SchemeName;
        await ApiErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? "a bearer token is required (Authorization: Bearer TOKEN)").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        var message = needed is null
            ? $"token '{Context.User.Identity?.Name}' (role {role}) may not do this"
            : $"token '{Context.User.Identity?.Name}' has role {role}; this needs {string.Join(" or ", ApiRoles.AtLeast(needed))}";
        return ApiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, message);
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
