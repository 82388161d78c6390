using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Orchestrator.Grains.Nodes;
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
public sealed class DashboardTests(DockerTestEngine docker) : IAsyncLifetime
{
    /// <summary>Where the browser is; Debian's <c>chromium</c> package puts it here.</summary>
    public const string ChromiumVariable = "ORCH_TEST_CHROMIUM";
    private const string DefaultChromium = "/usr/bin/chromium";

    private readonly string _clusterId = $"test-{Guid.NewGuid():N}"[..17];
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-test-").FullName;
    private readonly int _dashboardPort = FreePort.Next();
    private PostgresDatabase? _database;
    private SiloProcess? _silo;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        await docker.RemoveContainersAsync(new Dictionary<string, string> { [ContainerLabels.Cluster] = _clusterId });
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task The_view_lists_the_node_and_shows_a_new_task_running_without_a_reload()
    {
        _silo = await SiloProcess.StartAsync(Settings());
        var page = await OpenPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{_dashboardPort}/");
        var node = page.Locator("#nodes tr[data-key='node-a']");
        await Assertions.Expect(node).ToContainTextAsync("Ready", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#jobs")).ToContainTextAsync("No jobs", new() { Timeout = 15_000 });

        var run = await OrchCli.RunAsync(["run", "-f", WriteJob(), "--wait", "--timeout", "90", "--json"], _silo.GatewayPort, clusterId: _clusterId);
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{_silo.Log}");
        var taskId = JsonDocument.Parse(run.StdOut).RootElement.GetProperty("tasks")[0].GetProperty("id").GetString()!;

        var task = page.Locator($"#tasks tr[data-key='{taskId}']");
        await Assertions.Expect(task).ToContainTextAsync("Running", new() { Timeout = 10_000 });
        await Assertions.Expect(task).ToContainTextAsync("node-a");
        await Assertions.Expect(page.Locator("#jobs tr[data-key='hello']")).ToContainTextAsync("1 / 1");
        await Assertions.Expect(node.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync(taskId);
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, "orchestrator-view.png"), FullPage = true });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_dashboardPort}/"), Timeout = TimeSpan.FromSeconds(30) };
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
        var settings = Settings();
        settings["Auth:Tokens:viewer:Secret"] = Token;
        settings["Auth:Tokens:viewer:Role"] = "read";
        _silo = await SiloProcess.StartAsync(settings);
        var job = Path.Combine(_workDir, "secret.json");
        File.WriteAllText(job, $$"""
            { "name": "secret", "image": "{{DockerTestEngine.TestImage}}", "command": ["sleep", "3600"], "env": { "DB_PASSWORD": "hunter2" } }
            """);
        var run = await OrchCli.RunAsync(["run", "-f", job], _silo.GatewayPort, clusterId: _clusterId);
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}");

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{_dashboardPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("api/cluster", UriKind.Relative))).StatusCode);
        using var navigation = new HttpRequestMessage(HttpMethod.Get, new Uri("dashboard/", UriKind.Relative));
        navigation.Headers.Accept.ParseAdd("text/html");
        using var redirected = await anonymous.SendAsync(navigation);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/?next=%2Fdashboard%2F", redirected.Headers.Location?.OriginalString);

        var page = await OpenPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{_dashboardPort}/?next=%2Fdashboard%2F");
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
        var state = await api.GetAsync($"http://127.0.0.1:{_dashboardPort}/dashboard/GrainState?grainId=job/secret&grainType=Orchestrator.Grains.Jobs.JobGrain");
        Assert.Equal(200, state.Status);
        var text = await state.TextAsync();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", text, StringComparison.Ordinal);
        var missing = await api.GetAsync($"http://127.0.0.1:{_dashboardPort}/dashboard/GrainState?grainId=job/nothing-here&grainType=Orchestrator.Grains.Jobs.JobGrain");
        Assert.Equal(404, missing.Status);
        Assert.Equal(200, (await api.GetAsync($"http://127.0.0.1:{_dashboardPort}/api/cluster")).Status);
        // The session is for reading: it changes nothing, even from the browser that holds it.
        var scale = await api.PostAsync($"http://127.0.0.1:{_dashboardPort}/v1/jobs/secret/scale", new() { DataObject = new { replicas = 3 } });
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

    private Dictionary<string, string> Settings()
    {
        var settings = SiloSettings.ForEngine(_database!.ConnectionString, _clusterId, "node-a", docker.Endpoint);
        settings["Dashboard:Port"] = _dashboardPort.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    private string WriteJob()
    {
        var path = Path.Combine(_workDir, "hello.json");
        File.WriteAllText(path, $$"""
            {
              "name": "hello",
              "image": "{{DockerTestEngine.TestImage}}",
              "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
              "replicas": 1,
              "resources": { "cpu": 0.1, "memoryMb": 32 },
              "ports": [ { "container": 8080, "host": 0 } ]
            }
            """);
        return path;
    }
}
