using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// The HTTP API as a script meets it: a real silo, a real <see cref="HttpClient"/>, bearer tokens of each role.
/// Errors are compared with what the real <c>orch</c> says about the same input.
/// </summary>
public sealed class ApiTests(ApiSiloFixture fixture) : IClassFixture<ApiSiloFixture>
{
    /// <summary>Every route of the API, as the OpenAPI document must list it; operate marks the ones a read token may not call.</summary>
    private static readonly (string Method, string Path, bool Operate)[] Routes =
    [
        ("GET", "/v1/jobs", false),
        ("POST", "/v1/jobs", true),
        ("GET", "/v1/jobs/{name}", false),
        ("GET", "/v1/jobs/{name}/history", false),
        ("GET", "/v1/jobs/{name}/versions", false),
        ("POST", "/v1/jobs/{name}/rollback", true),
        ("POST", "/v1/jobs/{name}/scale", true),
        ("POST", "/v1/jobs/{name}/stop", true),
        ("GET", "/v1/jobs/{name}/endpoints", false),
        ("GET", "/v1/jobs/{name}/endpoints/stream", false),
        ("POST", "/v1/plan", false),
        ("GET", "/v1/tasks", false),
        ("GET", "/v1/tasks/{id}", false),
        ("GET", "/v1/tasks/{id}/logs", false),
        ("GET", "/v1/events", false),
        ("GET", "/v1/events/stream", false),
        ("GET", "/v1/nodes", false),
        ("GET", "/v1/nodes/{name}", false),
        ("POST", "/v1/nodes/{name}/drain", true),
        ("POST", "/v1/nodes/{name}/uncordon", true),
        ("GET", "/v1/secrets", false),
        ("POST", "/v1/secrets/{name}", true),
        ("DELETE", "/v1/secrets/{name}", true),
    ];

    [Fact]
    public async Task Every_route_answers_an_admin_with_the_shapes_of_orch_json()
    {
        using var http = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.AdminToken);

        var run = await Ok(await http.PostAsync(new Uri("v1/jobs", UriKind.Relative), Json(Job("every", replicas: 2))));
        Assert.Equal("every", run.GetProperty("job").GetString());
        Assert.Equal(2, run.GetProperty("tasks").GetArrayLength());
        var tasks = await WaitForRunningAsync(http, "every", 2);
        var taskId = tasks[0].GetProperty("id").GetString()!;

        var jobs = await Ok(await http.GetAsync(new Uri("v1/jobs", UriKind.Relative)));
        var summary = Assert.Single(jobs.EnumerateArray(), j => j.GetProperty("job").GetString() == "every");
        Assert.Equal(["job", "status", "replicas", "liveTasks", "type", "batch", "image", "scheduler", "schedule", "updatedAt"], summary.EnumerateObject().Select(p => p.Name));
        Assert.Equal("orch-test/busybox:latest", summary.GetProperty("image").GetString());
        var job = await Ok(await http.GetAsync(new Uri("v1/jobs/every", UriKind.Relative)));
        Assert.Equal("Active", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("tasks").GetArrayLength());
        Assert.Equal(2, (await Ok(await http.GetAsync(new Uri("v1/jobs/every/history", UriKind.Relative)))).GetArrayLength());
        var task = await Ok(await http.GetAsync(new Uri($"v1/tasks/{taskId}", UriKind.Relative)));
        Assert.Equal("every", task.GetProperty("spec").GetProperty("name").GetString());

        using (var logs = await http.GetAsync(new Uri($"v1/tasks/{taskId}/logs", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
            Assert.Equal("text/event-stream", logs.Content.Headers.ContentType?.MediaType);
        }
        var events = await Ok(await http.GetAsync(new Uri("v1/events?job=every", UriKind.Relative)));
        Assert.Equal(["time", "task", "job", "from", "to", "reason"], events[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Pending", events[0].GetProperty("to").GetString());
        var streamed = await FirstStreamedEventAsync(http, "v1/events/stream?job=every");
        Assert.Equal("every", streamed.GetProperty("job").GetString());

        var version = Assert.Single((await Ok(await http.GetAsync(new Uri("v1/jobs/every/versions", UriKind.Relative)))).EnumerateArray());
        Assert.Equal(["version", "submittedAt", "status", "image", "reason"], version.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.Equal("orch-test/busybox:latest", version.GetProperty("image").GetString());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
        Assert.Equal(["version", "health"], tasks[0].EnumerateObject().Select(p => p.Name).Where(n => n is "version" or "health"));
        var noEarlier = await ErrorAsync(await http.PostAsync(new Uri("v1/jobs/every/rollback", UriKind.Relative), null), HttpStatusCode.BadRequest);
        Assert.Equal("version", noEarlier.GetProperty("field").GetString());

        var scaled = await Ok(await http.PostAsync(new Uri("v1/jobs/every/scale", UriKind.Relative), Json("""{ "replicas": 1 }""")));
        Assert.Equal(1, scaled.GetProperty("replicas").GetInt32());
        var plan = await Ok(await http.PostAsync(new Uri("v1/plan", UriKind.Relative), Json(Job("planned", replicas: 2))));
        Assert.Equal(2, plan.GetProperty("placements").GetArrayLength());
        using (var unplanned = await http.GetAsync(new Uri("v1/jobs/planned", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unplanned.StatusCode);
        }

        var nodes = await Ok(await http.GetAsync(new Uri("v1/nodes", UriKind.Relative)));
        Assert.Equal("api-a", Assert.Single(nodes.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Ready", (await Ok(await http.GetAsync(new Uri("v1/nodes/api-a", UriKind.Relative)))).GetProperty("status").GetString());
        Assert.Equal("Draining", (await Ok(await http.PostAsync(new Uri("v1/nodes/api-a/drain", UriKind.Relative), null))).GetProperty("status").GetString());
        Assert.Equal("Ready", (await Ok(await http.PostAsync(new Uri("v1/nodes/api-a/uncordon", UriKind.Relative), null))).GetProperty("status").GetString());
        var stopped = await Ok(await http.PostAsync(new Uri("v1/jobs/every/stop", UriKind.Relative), null));
        Assert.Equal("Stopped", stopped.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_invalid_job_file_is_a_400_with_the_field_and_rule_orch_reports()
    {
        using var http = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.OperateToken);
        // The first is refused by the check orch and the API make before sending; the second by the job grain, which knows the nodes.
        string[] files =
        [
            """{ "name": "Bad_Name", "image": "orch-test/busybox:latest" }""",
            """{ "name": "huge", "image": "orch-test/busybox:latest", "resources": { "cpu": 512 } }""",
            """{ "name": "zoned", "image": "orch-test/busybox:latest", "constraints": { "zone": { "in": "a" } } }""",
            """{ "name": "zoned", "image": "orch-test/busybox:latest", "constraints": { "zone": { "notIn": [] } } }""",
        ];
        foreach (var file in files)
        {
            var orch = await Orch(["run", "-f", WriteFile(file)]);
            using var response = await http.PostAsync(new Uri("v1/jobs", UriKind.Relative), Json(file));

            var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(2, orch.ExitCode);
            Assert.Equal(OrchError(orch), error.GetProperty("error").GetString());
            var field = error.GetProperty("field").GetString();
            var rule = error.GetProperty("rule").GetString();
            Assert.Contains($"{field}: {rule}", OrchError(orch), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_replica_count_out_of_range_is_a_400_as_orch_scale_reports_it()
    {
        using var http = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.OperateToken);

        var orch = await Orch(["scale", "web", "20000"]);
        using var response = await http.PostAsync(new Uri("v1/jobs/web/scale", UriKind.Relative), Json("""{ "replicas": 20000 }"""));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(OrchError(orch), error.GetProperty("error").GetString());
        Assert.Equal("replicas", error.GetProperty("field").GetString());
        Assert.Equal("must be an integer from 0 to 10000 (got 20000)", error.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_bad_query_value_or_body_is_a_400_naming_the_field()
    {
        using var http = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.AdminToken);

        var all = await ErrorAsync(await http.GetAsync(new Uri("v1/tasks?all=maybe", UriKind.Relative)), HttpStatusCode.BadRequest);
        var scale = await ErrorAsync(await http.PostAsync(new Uri("v1/jobs/web/scale", UriKind.Relative), Json("""{ "replica": 2 }""")), HttpStatusCode.BadRequest);
        var notJson = await ErrorAsync(await http.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent("name=web")), HttpStatusCode.UnsupportedMediaType);
        var negative = await ErrorAsync(await http.PostAsync(new Uri("v1/nodes/api-a/drain?deadlineSeconds=-5", UriKind.Relative), null), HttpStatusCode.BadRequest);
        var word = await ErrorAsync(await http.PostAsync(new Uri("v1/nodes/api-a/drain?deadlineSeconds=soon", UriKind.Relative), null), HttpStatusCode.BadRequest);

        Assert.Equal("all", all.GetProperty("field").GetString());
        Assert.Equal("must be true or false (got 'maybe')", all.GetProperty("rule").GetString());
        Assert.Equal("replicas", scale.GetProperty("field").GetString());
        Assert.Contains("Content-Type: application/json", notJson.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(("deadlineSeconds", "must be 0 or more seconds (got '-5')"), (negative.GetProperty("field").GetString(), negative.GetProperty("rule").GetString()));
        Assert.Equal(("deadlineSeconds", "must be 0 or more seconds (got 'soon')"), (word.GetProperty("field").GetString(), word.GetProperty("rule").GetString()));
        Assert.Equal("Ready", (await Ok(await http.GetAsync(new Uri("v1/nodes/api-a", UriKind.Relative)))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_route_is_a_401_without_a_token_or_with_a_wrong_one()
    {
        using var anonymous = ApiSiloFixture.Client(fixture.ApiPort, token: null);
        using var wrong = ApiSiloFixture.Client(fixture.ApiPort, "not-a-token-of-this-silo");

        foreach (var (method, path, _) in Routes)
        {
            var none = await ErrorAsync(await anonymous.SendAsync(Request(method, path)), HttpStatusCode.Unauthorized);
            var bad = await ErrorAsync(await wrong.SendAsync(Request(method, path)), HttpStatusCode.Unauthorized);
            Assert.Equal("a bearer token is required (Authorization: Bearer TOKEN)", none.GetProperty("error").GetString());
            Assert.Equal("the bearer token is not valid", bad.GetProperty("error").GetString());
        }
        using var challenge = await anonymous.GetAsync(new Uri("v1/nodes", UriKind.Relative));
        Assert.Equal("Bearer", Assert.Single(challenge.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task A_read_token_reads_but_every_change_is_a_403_naming_the_role_it_needs()
    {
        using var reader = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.ReadToken);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri("v1/nodes", UriKind.Relative))).StatusCode);
        foreach (var (method, path, _) in Routes.Where(r => r.Operate))
        {
            var error = await ErrorAsync(await reader.SendAsync(Request(method, path)), HttpStatusCode.Forbidden);
            Assert.Equal("token 'viewer' has role read; this needs operate or admin", error.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Unknown_jobs_tasks_nodes_and_routes_are_a_404_naming_them()
    {
        using var http = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.AdminToken);
        (HttpRequestMessage Request, string Error)[] cases =
        [
            (Request("GET", "/v1/jobs/nope"), "no job named 'nope'"),
            (Request("GET", "/v1/jobs/nope/history"), "no job named 'nope'"),
            (Request("GET", "/v1/jobs/nope/endpoints"), "no job named 'nope'"),
            (Request("GET", "/v1/jobs/nope/endpoints/stream"), "no job named 'nope'"),
            (Request("POST", "/v1/jobs/nope/scale", """{ "replicas": 1 }"""), "no job named 'nope'"),
            (Request("POST", "/v1/jobs/nope/stop"), "no job named 'nope'"),
            (Request("GET", "/v1/tasks?job=nope"), "no job named 'nope'"),
            (Request("GET", "/v1/events?job=nope"), "no job named 'nope'"),
            (Request("GET", "/v1/events/stream?job=nope"), "no job named 'nope'"),
            (Request("GET", "/v1/tasks/nope-0-abcdef"), "no task named 'nope-0-abcdef'"),
            (Request("GET", "/v1/tasks/nope-0-abcdef/logs"), "no task named 'nope-0-abcdef'"),
            (Request("GET", "/v1/nodes/nope"), "no node named 'nope'"),
            (Request("POST", "/v1/nodes/nope/drain"), "no node named 'nope'"),
            (Request("GET", "/v1/nothing"), "no route GET /v1/nothing (the routes are in /v1/openapi.json)"),
        ];
        foreach (var (request, expected) in cases)
        {
            var error = await ErrorAsync(await http.SendAsync(request), HttpStatusCode.NotFound);
            Assert.Equal(expected, error.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Env_values_are_redacted_for_read_and_operate_tokens_and_shown_to_an_admin()
    {
        using var admin = ApiSiloFixture.Client(fixture.ApiPort, ApiSiloFixture.AdminToken);
        await Ok(await admin.PostAsync(new Uri("v1/jobs", UriKind.Relative), Json(Job("secretive", replicas: 1))));
        var taskId = (await WaitForRunningAsync(admin, "secretive", 1))[0].GetProperty("id").GetString()!;

        foreach (var (token, expected) in new[] { (ApiSiloFixture.ReadToken, "***"), (ApiSiloFixture.OperateToken, "***"), (ApiSiloFixture.AdminToken, "hunter2") })
        {
            using var http = ApiSiloFixture.Client(fixture.ApiPort, token);
            var job = await Ok(await http.GetAsync(new Uri("v1/jobs/secretive", UriKind.Relative)));
            var task = await Ok(await http.GetAsync(new Uri($"v1/tasks/{taskId}", UriKind.Relative)));
            Assert.Equal(expected, job.GetProperty("spec").GetProperty("env").GetProperty("PASSWORD").GetString());
            Assert.Equal(expected, task.GetProperty("spec").GetProperty("env").GetProperty("PASSWORD").GetString());
        }
        await Ok(await admin.PostAsync(new Uri("v1/jobs/secretive/stop", UriKind.Relative), null));
    }

    [Fact]
    public async Task The_OpenAPI_document_is_JSON_open_to_all_and_lists_every_route()
    {
        using var anonymous = ApiSiloFixture.Client(fixture.ApiPort, token: null);

        var document = await Ok(await anonymous.GetAsync(new Uri("v1/openapi.json", UriKind.Relative)));

        var listed = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(Routes.Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal), listed);
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        var states = document.GetProperty("components").GetProperty("schemas").GetProperty("TaskState").GetProperty("enum");
        Assert.Contains("Running", states.EnumerateArray().Select(s => s.GetString()));
    }

    private static string Job(string name, int replicas) => $$"""
        {
          "name": "{{name}}",
          "image": "orch-test/busybox:latest",
          "command": ["sleep", "3600"],
          "env": { "PASSWORD": "hunter2" },
          "replicas": {{replicas}},
          "resources": { "cpu": 0.1, "memoryMb": 32 }
        }
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A request for <paramref name="path"/> with its placeholders filled in, and a JSON body for every POST.</summary>
    private static HttpRequestMessage Request(string method, string path, string? body = null)
    {
        var uri = path.Replace("{name}", "web", StringComparison.Ordinal).Replace("{id}", "web-0-abcdef", StringComparison.Ordinal).TrimStart('/');
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(uri, UriKind.Relative));
        if (method == "POST")
        {
            request.Content = Json(body ?? Job("web", replicas: 1));
        }
        return request;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>The error body of a response that must have <paramref name="status"/>: JSON with an <c>error</c> line.</summary>
    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(body).RootElement.Clone();
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
            Assert.DoesNotContain('\n', error.GetProperty("error").GetString()!);
            return error;
        }
    }

    private static async Task<List<JsonElement>> WaitForRunningAsync(HttpClient http, string job, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var tasks = (await Ok(await http.GetAsync(new Uri($"v1/tasks?job={job}", UriKind.Relative)))).EnumerateArray().ToList();
            if (tasks.Count == count && tasks.All(t => t.GetProperty("state").GetString() == "Running"))
            {
                return tasks;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{count} Running tasks of {job} not seen: {string.Join(", ", tasks)}");
            await Task.Delay(300);
        }
    }

    /// <summary>The first event of a Server-Sent Events stream, read as it arrives; the stream is then closed.</summary>
    private static async Task<JsonElement> FirstStreamedEventAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }
        throw new InvalidOperationException($"the stream {path} ended without an event");
    }

    private string WriteFile(string content)
    {
        var path = Path.Combine(fixture.WorkDir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private Task<ProcessResult> Orch(string[] args) => OrchProcess.RunAsync(args, fixture.Silo.GatewayPort, fixture.ClusterId);

    /// <summary>The one line orch wrote on stderr, without its <c>orch: </c> prefix.</summary>
    private static string OrchError(ProcessResult result)
    {
        var line = Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.StartsWith("orch: ", line, StringComparison.Ordinal);
        return line["orch: ".Length..];
    }
}
