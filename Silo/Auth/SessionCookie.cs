using System.Net;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// How the pages (the orchestrator view and the Orleans dashboard) carry a token: the view asks for one and posts it
/// to <c>POST /session</c>, which checks it and sets it as an HttpOnly, same-site session cookie; the browser forgets
/// it when it closes. The cookie counts for GET requests only.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "orch-token";
    public const string Path = "/session";

    /// <summary>Maps <c>POST /session</c> (form field or JSON <c>token</c>: 204 and the cookie, or 401) and <c>DELETE /session</c>.</summary>
    public static IEndpointRouteBuilder MapSession(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, async (HttpContext context, ApiTokens tokens) =>
        {
            var secret = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync())["token"].ToString()
                : (await context.Request.ReadFromJsonAsync<SessionRequest>())?.Token;
            if (string.IsNullOrEmpty(secret) || tokens.Match(secret) is null)
            {
                return Results.Json(new { error = "the token is not valid" }, statusCode: StatusCodes.Status401Unauthorized);
            }
            context.Response.Cookies.Append(Name, secret, Options(context));
            return Results.NoContent();
        }).DisableAntiforgery();
        endpoints.MapDelete(Path, (HttpContext context) =>
        {
            context.Response.Cookies.Delete(Name, Options(context));
            return Results.NoContent();
        });
        return endpoints;
    }

    /// <summary>A browser opening a page (not a script fetching data), to be sent to sign in rather than answered 401.</summary>
    public static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>The view, which asks for a token and then returns to where the browser was going.</summary>
    public static string SignInPath(HttpRequest request) =>
        "/?next=" + WebUtility.UrlEncode(request.PathBase + request.Path + request.QueryString);

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
    };

    private sealed record SessionRequest(string? Token);
}
