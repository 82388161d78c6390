using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Silo.Auth;
using Xunit;

namespace Orchestrator.Tests.Auth;

/// <summary>
/// Who the handler lets in, decided from the connection and the header alone: callers from other machines are tried
/// here rather than over the network, which a test may not reach.
/// </summary>
public sealed class BearerTokenHandlerTests
{
    private const string Secret = "a-secret-of-twenty-chars";

    private static readonly ApiTokens None = new([]);

    private static readonly ApiTokens One = new([new ApiToken("ci", ApiRoles.Operate, System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret)))]);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task With_no_token_configured_a_caller_on_loopback_is_an_admin(string address)
    {
        var result = await AuthenticateAsync(None, IPAddress.Parse(address), header: null);

        Assert.True(result.Succeeded);
        Assert.True(result.Principal!.IsInRole(ApiRoles.Admin));
        Assert.Equal(BearerTokenHandler.LoopbackName, result.Principal.Identity!.Name);
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.0.2.10")]
    public async Task With_no_token_configured_a_caller_elsewhere_is_refused_with_403_even_with_a_header(string address)
    {
        var (result, context) = await ChallengeAsync(None, IPAddress.Parse(address), $"Bearer {Secret}");

        Assert.False(result.Succeeded);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("no API token is configured (Auth:Tokens), so the API answers only on loopback", ErrorOf(context));
    }

    [Fact]
    public async Task With_tokens_configured_loopback_is_no_pass_a_missing_token_is_a_401_with_a_challenge()
    {
        var (result, context) = await ChallengeAsync(One, IPAddress.Loopback, header: null);

        Assert.True(result.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task A_caller_elsewhere_with_a_valid_token_gets_its_role()
    {
        var result = await AuthenticateAsync(One, IPAddress.Parse("192.0.2.10"), $"bearer {Secret}");

        Assert.True(result.Succeeded);
        Assert.Equal("ci", result.Principal!.Identity!.Name);
        Assert.Equal(ApiRoles.Operate, result.Principal.FindFirstValue(ClaimTypes.Role));
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(ApiTokens tokens, IPAddress remote, string? header)
    {
        var (handler, _) = await HandlerAsync(tokens, remote, header);
        return await handler.AuthenticateAsync();
    }

    private static async Task<(AuthenticateResult Result, HttpContext Context)> ChallengeAsync(ApiTokens tokens, IPAddress remote, string? header)
    {
        var (handler, context) = await HandlerAsync(tokens, remote, header);
        var result = await handler.AuthenticateAsync();
        await handler.ChallengeAsync(new AuthenticationProperties());
        return (result, context);
    }

    private static async Task<(BearerTokenHandler Handler, HttpContext Context)> HandlerAsync(ApiTokens tokens, IPAddress remote, string? header)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        context.Connection.RemoteIpAddress = remote;
        if (header is not null)
        {
            context.Request.Headers.Authorization = header;
        }
        var options = new OptionsMonitor<AuthenticationSchemeOptions>(
            new OptionsFactory<AuthenticationSchemeOptions>([], []), [], new OptionsCache<AuthenticationSchemeOptions>());
        var handler = new BearerTokenHandler(options, NullLoggerFactory.Instance, UrlEncoder.Default, tokens);
        await handler.InitializeAsync(new AuthenticationScheme(BearerTokenHandler.SchemeName, null, typeof(BearerTokenHandler)), context);
        return (handler, context);
    }

    private static string? ErrorOf(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error").GetString();
    }
}
