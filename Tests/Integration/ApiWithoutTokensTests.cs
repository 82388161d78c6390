using System.Net;
using System.Text.Json;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>A silo configured with no token: its log says the API is loopback only, and a caller there needs no token and is an admin.</summary>
public sealed class ApiWithoutTokensTests : IAsyncLifetime
{
    private readonly int _apiPort = FreePort.Next();
    private SiloProcess? _silo;

    public async Task InitializeAsync() =>
        _silo = await ApiSiloFixture.StartAsync(ApiSiloFixture.Settings(SiloSettings.NewClusterId("api"), "api-open", _apiPort));

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_caller_on_loopback_needs_no_token_and_sees_env_values_and_the_log_says_so()
    {
        using var http = ApiSiloFixture.Client(_apiPort, token: null);
        using var submit = await http.PostAsync(
            new Uri("v1/jobs", UriKind.Relative),
            new StringContent("""{ "name": "open", "image": "orch-test/busybox:latest", "env": { "TOKEN": "abc" } }""", System.Text.Encoding.UTF8, "application/json"));
        var body = await submit.Content.ReadAsStringAsync();
        Assert.True(submit.StatusCode == HttpStatusCode.OK, body);

        var job = JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/jobs/open", UriKind.Relative))).RootElement;

        Assert.Equal("abc", job.GetProperty("spec").GetProperty("env").GetProperty("TOKEN").GetString());
        Assert.Contains("No API token is configured (Auth:Tokens): the HTTP API at /v1 answers only callers on loopback", _silo!.Log, StringComparison.Ordinal);
        Assert.Contains($"Now listening on: http://127.0.0.1:{_apiPort}", _silo.Log, StringComparison.Ordinal);
    }
}
