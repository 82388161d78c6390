using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Client;
using Xunit;

namespace Orchestrator.Tests.Client;

/// <summary>The whole command line, in-process, where no cluster is needed: bad input, bad usage, no gateway.</summary>
public sealed class OrchCliTests : IDisposable
{
    private const string ValidJob = """{ "name": "web", "image": "orch-test/busybox:latest" }""";

    private readonly string _folder = Directory.CreateTempSubdirectory("orch-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("run")]
    [InlineData("plan")]
    public async Task A_negative_replica_count_is_invalid_input_naming_replicas(string verb)
    {
        var file = JobFile("""{ "name": "web", "image": "busybox", "replicas": -1 }""");

        var result = await Orch(verb, "-f", file);

        Assert.Equal(2, result.Code);
        Assert.Equal("orch: invalid job spec: replicas: must be an integer from 0 to 10000 (got -1)", result.SingleErrorLine());
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("""{ "name": "sum", "image": "busybox", "type": "cron" }""", "type: must be one of service, batch (got 'cron')")]
    [InlineData("""{ "name": "sum", "image": "busybox", "type": "batch", "restart": { "policy": "always" } }""", "restart.policy: must be on-failure or never for a batch job")]
    [InlineData("""{ "name": "sum", "image": "busybox", "restart": { "reschedules": 2 } }""", "restart.reschedules: applies to batch jobs only")]
    [InlineData("""{ "name": "sum", "image": "busybox", "stopGraceSeconds": 60 }""", "stopGraceSeconds: must be an integer from 0 to 20 (got 60)")]
    public async Task A_batch_field_that_makes_no_sense_is_invalid_input_naming_the_field_and_rule(string job, string error)
    {
        var result = await Orch("run", "-f", JobFile(job), "--wait");

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"orch: invalid job spec: {error}", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_is_invalid_input_naming_it()
    {
        var file = JobFile("""{ "name": "web", "image": "busybox", "replicaz": 2 }""");

        var result = await Orch("run", "-f", file);

        Assert.Equal(2, result.Code);
        Assert.Contains("replicaz: unknown field", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_type_is_invalid_input_naming_the_field_and_type()
    {
        var file = JobFile("""{ "name": "web", "image": "busybox", "resources": { "cpu": "lots" } }""");

        var result = await Orch("run", "-f", file, "--json");

        Assert.Equal(2, result.Code);
        Assert.Contains("resources.cpu: must be a number", result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Malformed_json_is_invalid_input()
    {
        var result = await Orch("run", "-f", JobFile("{ \"name\": "));

        Assert.Equal(2, result.Code);
        Assert.StartsWith("orch: invalid job spec: ", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    // A missing job file is bad input, like an invalid one: exit 2.
    [Fact]
    public async Task A_missing_job_file_is_invalid_input()
    {
        var missing = Path.Combine(_folder, "nope.json");

        var result = await Orch("run", "-f", missing);

        Assert.Equal(2, result.Code);
        Assert.Equal($"orch: cannot read job file '{missing}': no such file", result.SingleErrorLine());
    }

    [Fact]
    public async Task A_job_file_over_the_size_limit_is_invalid_input()
    {
        var file = JobFile(ValidJob + new string(' ', 256 * 1024));

        var result = await Orch("plan", "-f", file);

        Assert.Equal(2, result.Code);
        Assert.Contains("the limit is 262144", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("ps", "--no-such-option")]
    [InlineData("run")]
    [InlineData("scale", "web", "many")]
    [InlineData("inspect")]
    [InlineData("endpoints")]
    public async Task Bad_usage_exits_2_with_one_line(params string[] args)
    {
        var result = await Orch(args);

        Assert.Equal(2, result.Code);
        Assert.EndsWith("(see 'orch --help')", result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task An_unknown_verb_is_named()
    {
        var result = await Orch("frobnicate");

        Assert.Contains("'frobnicate'", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:http")]
    [InlineData(":30000")]
    [InlineData("::1:30000")]
    public async Task A_bad_gateway_is_bad_usage(string gateway)
    {
        var result = await Orch("ps", "--gateway", gateway);

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"orch: invalid gateway '{gateway}'", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("10001")]
    public async Task Scaling_out_of_range_is_invalid_input(string replicas)
    {
        var result = await Orch("scale", "web", replicas, "--gateway", "127.0.0.1:1");

        Assert.Equal(2, result.Code);
        Assert.Contains("replicas: must be an integer from 0 to 10000", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_positive_wait_timeout_is_invalid_input()
    {
        var result = await Orch("run", "-f", JobFile(ValidJob), "--wait", "--timeout", "0");

        Assert.Equal(2, result.Code);
        Assert.Contains("--timeout", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_drain_deadline_is_invalid_input()
    {
        var result = await Orch("drain", "node-a", "--deadline", "-1");

        Assert.Equal(2, result.Code);
        Assert.Equal("orch: --deadline must be 0 or more seconds (got -1)", result.SingleErrorLine());
    }

    [Fact]
    public async Task An_unreachable_gateway_fails_fast_with_one_line_and_exit_1()
    {
        var port = FreePort();
        var clock = Stopwatch.StartNew();

        var result = await Orch("run", "-f", JobFile(ValidJob), "--gateway", $"localhost:{port}");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(1, result.Code);
        Assert.Equal($"orch: cannot reach a gateway (127.0.0.1:{port}): connection refused", result.SingleErrorLine());
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task A_gateway_that_never_answers_is_tried_until_the_commands_timeout_then_fails_with_one_line()
    {
        // Accepts connections and says nothing, as a gateway of a starved or dying silo may: not a refusal, so the
        // command keeps trying for its whole --timeout instead of giving up after one attempt.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        var result = await Orch("run", "-f", JobFile(ValidJob), "--timeout", "4", "--gateway", $"127.0.0.1:{port}");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(1, result.Code);
        Assert.Equal($"orch: gave up after 4 s of retries through 127.0.0.1:{port}: no answer in time", result.SingleErrorLine());
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task An_unreachable_gateway_leaves_no_log_or_stack_trace_on_the_real_stderr()
    {
        var port = FreePort();
        var orch = ClientBuildOutput("orch.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { orch, "nodes", "--gateway", $"127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("ORCH_GATEWAYS");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("", await stdout);
        Assert.Equal($"orch: cannot reach a gateway (127.0.0.1:{port}): connection refused", (await stderr).TrimEnd());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("ps", "--help")]
    [InlineData("endpoints", "--help")]
    [InlineData("inspect", "--help")]
    [InlineData("stop", "--help")]
    [InlineData("scale", "--help")]
    [InlineData("nodes", "--help")]
    [InlineData("drain", "--help")]
    [InlineData("uncordon", "--help")]
    [InlineData("plan", "--help")]
    public async Task Every_command_has_help_with_an_example(params string[] args)
    {
        var result = await Orch(args);

        Assert.Equal(0, result.Code);
        Assert.Contains("Example", result.Out, StringComparison.Ordinal);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
        Assert.Contains("--gateway", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Err);
    }

    private static async Task<CliResult> Orch(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await OrchCli.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    // The Client's own build output: the copy in the test folder lacks what the test host's ASP.NET framework provides.
    private static string ClientBuildOutput(string file)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orchestrator.sln")))
        {
            root = root.Parent;
        }
        Assert.True(root is not null, $"no Orchestrator.sln above {testOutput.FullName}");
        var path = Path.Combine(root.FullName, "Client", "bin", testOutput.Parent!.Name, testOutput.Name, file);
        Assert.True(File.Exists(path), $"{path} not found: build the Client project first");
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string JobFile(string json)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private sealed record CliResult(int Code, string Out, string Err)
    {
        public string SingleErrorLine()
        {
            var lines = Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Assert.Single(lines);
        }
    }
}
