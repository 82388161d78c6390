using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// What a person sees in a browser: a real silo on PostgreSQL and the real engine, its orchestrator view
/// at / opened in headless Chromium (Debian's, never a downloaded build) before a job is submitted, and
/// the job's task showing up Running there by the page's own polling. The Orleans dashboard answers
/// beside it and shows the job grain's persisted state.
/// </summary>
[Collection(RealEngineTests.Name)]
public sealed class DashboardTests : SingleNodeClusterTests
{
    /// <summary>Where the browser is; Debian's <c>chromium</c> package puts it here.</summary>
    public const string ChromiumVariable = "ORCH_TEST_CHROMIUM";
    private const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_view_lists_the_node_and_shows_a_new_task_running_without_a_reload()
    {
        var silo = await Cluster.StartAsync();
        var page = await OpenPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{Cluster.DashboardPort}/");
        var node = page.Locator("#nodes tr[data-key='node-a']");
        await Assertions.Expect(node).ToContainTextAsync("Ready", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#jobs")).ToContainTextAsync("No jobs", new() { Timeout = 15_000 });

        var run = await Cluster.OrchAsync("run", "-f", WriteJob(), "--wait", "--timeout", "90", "--json");
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{silo.Log}");
        var taskId = JsonDocument.Parse(run.StdOut).RootElement.GetProperty("tasks")[0].GetProperty("id").GetString()!;

        var task = page.Locator($"#tasks tr[data-key='{taskId}']");
        await Assertions.Expect(task).ToContainTextAsync("Running", new() { Timeout = 10_000 });
        await Assertions.Expect(task).ToContainTextAsync("node-a");
        await Assertions.Expect(page.Locator("#jobs tr[data-key='hello']")).ToContainTextAsync("1 / 1");
        await Assertions.Expect(node.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync(taskId);
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, "orchestrator-view.png"), FullPage = true });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Cluster.DashboardPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        using var dashboard = await http.GetAsync(new Uri("dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var state = JsonSerializer.Deserialize<string>(await http.GetStringAsync(new Uri("dashboard/GrainState?grainId=job/hello&grainType=Orchestrator.Grains.Jobs.JobGrain", UriKind.Relative)))!;
        var slots = JsonDocument.Parse(state).RootElement.GetProperty("GetStateAsync").GetProperty("Slots");
        Assert.Equal(taskId, slots.GetProperty("0").GetString());
    }

    [Fact]
    public async Task With_a_token_configured_the_pages_ask_for_it_and_show_only_grains_that_exist_without_env_values()
    {
        const string Token = "viewer-secret-0123456789";
        await Cluster.StartAsync(new Dictionary<string, string>
        {
            ["Auth:Tokens:viewer:Secret"] = Token,
            ["Auth:Tokens:viewer:Role"] = "read",
        });
        var job = Cluster.WriteJobFile("secret", $$"""
            { "name": "secret", "image": "{{MainEngine.TestImage}}", "command": ["sleep", "3600"], "env": { "DB_PASSWORD": "hunter2" } }
            """);
        var run = await Cluster.OrchAsync("run", "-f", job);
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}");

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Cluster.DashboardPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("api/cluster", UriKind.Relative))).StatusCode);
        using var navigation = new HttpRequestMessage(HttpMethod.Get, new Uri("dashboard/", UriKind.Relative));
        navigation.Headers.Accept.ParseAdd("text/html");
        using var redirected = await anonymous.SendAsync(navigation);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/?next=%2Fdashboard%2F", redirected.Headers.Location?.OriginalString);

        var page = await OpenPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{Cluster.DashboardPort}/?next=%2Fdashboard%2F");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.FillAsync("#token", "not-the-token-0123456789");
        await page.ClickAsync("#signin button");
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("not valid");
        await page.FillAsync("#token", Token);
        await page.ClickAsync("#signin button");
        // Signed in, the view hides the field and goes where the browser was sent from; the dashboard it opens loads
        // much besides its page, so only the navigation's start is waited for.
        await Assertions.Expect(page.Locator("#signin")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await page.WaitForURLAsync("**/dashboard/", new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });

        var api = page.Context.APIRequest;
        var state = await api.GetAsync($"http://127.0.0.1:{Cluster.DashboardPort}/dashboard/GrainState?grainId=job/secret&grainType=Orchestrator.Grains.Jobs.JobGrain");
        Assert.Equal(200, state.Status);
        var text = await state.TextAsync();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", text, StringComparison.Ordinal);
        var missing = await api.GetAsync($"http://127.0.0.1:{Cluster.DashboardPort}/dashboard/GrainState?grainId=job/nothing-here&grainType=Orchestrator.Grains.Jobs.JobGrain");
        Assert.Equal(404, missing.Status);
        Assert.Equal(200, (await api.GetAsync($"http://127.0.0.1:{Cluster.DashboardPort}/api/cluster")).Status);
        // The session is for reading: it changes nothing, even from the browser that holds it.
        var scale = await api.PostAsync($"http://127.0.0.1:{Cluster.DashboardPort}/v1/jobs/secret/scale", new() { DataObject = new { replicas = 3 } });
        Assert.Equal(401, scale.Status);
    }

    private static string ScreenshotDir => Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    private async Task<IPage> OpenPageAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) ?? DefaultChromium;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"no browser at {chromium}: install Debian's chromium package or set {ChromiumVariable}");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            // Playwright gives every launch a fresh temporary profile of its own (and refuses --user-data-dir).
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
    }

    private string WriteJob() =>
        Cluster.WriteJobFile("hello", $$"""
            {
              "name": "hello",
              "image": "{{MainEngine.TestImage}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              "replicas": 1,
              "resources": { "cpu": 0.1, "memoryMb": 32 },
              "ports": [ { "container": 8080, "host": 0 } ]
            }
            """);
}
