using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Abstractions;
using Xunit;

namespace Orchestrator.Tests.Client;

/// <summary>
/// <c>orch</c> rides out a silo's death (issue 12): two real silo processes on PostgreSQL with the simulated runtime;
/// the one hosting the job's grain is killed with SIGKILL while <c>orch run</c> of the same spec, <c>ps</c>,
/// <c>scale</c>, <c>inspect</c> and <c>nodes</c> run in a loop against both gateways, <c>orch events -f</c> follows and
/// <c>orch run --wait</c> waits for a job that cannot be placed. Every command ends well, or with one plain line, never
/// an Orleans exception; the job keeps exactly its replicas.
/// </summary>
public sealed class SiloDeathRetryTests : IAsyncLifetime
{
    private const string Job = "steady";
    private const int Replicas = 4;

    private readonly string _clusterId = SiloSettings.NewClusterId("test-retry");
    private readonly List<SiloProcess> _silos = [];
    private readonly List<string> _jobFiles = [];
    private string _jobFile = "";
    private ThrowawayDatabase? _database;
    private Process? _follow;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.CreateDatabaseAsync("retry");
        _jobFile = await JobFileAsync($$"""{ "name": "{{Job}}", "image": "orch-test/busybox:latest", "replicas": {{Replicas}}, "resources": { "cpu": 0.1, "memoryMb": 16 } }""");
    }

    public async Task DisposeAsync()
    {
        if (_follow is { HasExited: false })
        {
            _follow.Kill(entireProcessTree: true);
        }
        _follow?.Dispose();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        foreach (var file in _jobFiles)
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Repeatable_commands_ride_out_the_death_of_the_silo_hosting_the_job()
    {
        await StartSiloAsync("node-a");
        await StartSiloAsync("node-b");
        await Poll.WaitForAsync(NodesAsync, n => n.Count(x => x.Status == "Ready") == 2, TimeSpan.FromSeconds(60));
        var submitted = await OrchAsync("run", "-f", _jobFile);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        await Poll.WaitForAsync(TasksAsync, t => t.Count(x => x.State == "Running") == Replicas, TimeSpan.FromSeconds(60));

        var doomed = await HostOfJobGrainAsync(Job);
        var unplaceable = await UnplaceableJobOnAsync(doomed);
        var followed = new ConcurrentQueue<string>();
        var followErrors = new ConcurrentQueue<string>();
        _follow = StartFollow(followed, followErrors);
        var results = new ConcurrentQueue<(string Command, ProcessResult Result)>();
        using var stop = new CancellationTokenSource();
        // Two loops out of step, so that commands are under way at every moment of the silo's death.
        var loops = new[] { LoopAsync(0, results, stop.Token), LoopAsync(2, results, stop.Token) };
        // It polls its job's grain until its timeout, so it is calling that grain when the silo dies.
        var waiting = OrchProcess.RunAsync(["run", "-f", unplaceable, "--wait", "--timeout", "60"], GatewayPorts(), _clusterId, TimeSpan.FromMinutes(4));
        await Poll.WaitForAsync(() => Task.FromResult(results.Count), n => n >= 2, TimeSpan.FromMinutes(2));

        doomed.Kill();
        // Long enough for the survivor to declare the dead silo and for the job's grain to come back there.
        await Task.Delay(TimeSpan.FromSeconds(40));
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.All(results, r => AssertEndedWell(r.Command, r.Result));
        var waited = await waiting;
        Assert.False(waited.StdErr.Split('\n').Any(IsOrleansText), waited.ToString());
        Assert.True(waited.ExitCode == 1 && waited.StdErr.TrimEnd().EndsWith("orch: timed out after 60 s: 0/1 running", StringComparison.Ordinal), waited.ToString());
        var live = await Poll.WaitForAsync(TasksAsync, t => t.Count == Replicas && t.All(x => x.State == "Running"), TimeSpan.FromSeconds(90));
        Assert.Equal(Enumerable.Range(0, Replicas), live.Select(t => t.Slot).Order());

        Assert.False(_follow.HasExited, $"orch events -f ended (exit {(_follow.HasExited ? _follow.ExitCode : 0)}): {string.Join('\n', followErrors)}");
        Assert.DoesNotContain(followErrors, IsOrleansText);
        Assert.Equal(followed.Count, followed.Distinct(StringComparer.Ordinal).Count());
    }

    private static void AssertEndedWell(string command, ProcessResult result)
    {
        var errors = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.False(errors.Any(IsOrleansText), $"orch {command}: {result}");
        if (result.ExitCode != 0)
        {
            // Gave up: one plain line saying what failed and why, after any progress lines.
            Assert.True(result.ExitCode == 1, $"orch {command}: {result}");
            Assert.True(errors.Count(e => e.StartsWith("orch: ", StringComparison.Ordinal)) == 1, $"orch {command}: {result}");
        }
    }

    private static bool IsOrleansText(string line) =>
        line.Contains("Exception", StringComparison.Ordinal) || line.Contains("Orleans", StringComparison.Ordinal);

    /// <summary>Runs the repeatable commands one after another, from the <paramref name="first"/>, until stopped.</summary>
    private async Task LoopAsync(int first, ConcurrentQueue<(string Command, ProcessResult Result)> results, CancellationToken stop)
    {
        string[][] commands =
        [
            ["run", "-f", _jobFile],
            ["ps", "--job", Job, "--json"],
            ["scale", Job, Replicas.ToString(CultureInfo.InvariantCulture)],
            ["inspect", Job, "--json"],
            ["nodes", "--json"],
        ];
        for (var i = first; !stop.IsCancellationRequested; i++)
        {
            var command = commands[i % commands.Length];
            // Both gateways, the dead one too, as a user who does not know which silo died would give them.
            results.Enqueue((string.Join(' ', command), await OrchProcess.RunAsync(command, GatewayPorts(), _clusterId, TimeSpan.FromMinutes(3))));
        }
    }

    /// <summary>A submitted job whose one replica fits no node and whose grain is active on <paramref name="silo"/>.</summary>
    private async Task<string> UnplaceableJobOnAsync(SiloProcess silo)
    {
        // Where a grain is placed is Orleans' choice: submit jobs until one lands there.
        for (var i = 0; i < 20; i++)
        {
            var name = $"nowhere-{i}";
            var file = await JobFileAsync($$"""{ "name": "{{name}}", "image": "orch-test/busybox:latest", "constraints": { "zone": "nowhere" } }""");
            var submitted = await OrchAsync("run", "-f", file);
            Assert.True(submitted.ExitCode == 0, submitted.ToString());
            if (await HostOfJobGrainAsync(name) == silo)
            {
                return file;
            }
        }
        throw new InvalidOperationException("no job grain was placed on the silo to be killed in 20 tries");
    }

    private async Task<string> JobFileAsync(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orch-retry-{Guid.NewGuid():N}.json");
        _jobFiles.Add(file);
        await File.WriteAllTextAsync(file, json);
        return file;
    }

    /// <summary>The silo process where the job's grain is active now.</summary>
    private async Task<SiloProcess> HostOfJobGrainAsync(string job)
    {
        await using var client = await TestClusterClient.ConnectAsync(GatewayPorts(), _clusterId);
        var address = await client.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(client.Client.GetJob(job));
        Assert.NotNull(address);
        var port = address.Endpoint.Port.ToString(CultureInfo.InvariantCulture);
        return _silos.Single(s => s.Settings["Orleans:SiloPort"] == port);
    }

    private Process StartFollow(ConcurrentQueue<string> lines, ConcurrentQueue<string> errors)
    {
        var process = new Process { StartInfo = OrchProcess.StartInfo(["events", "-f", "--job", Job, "--json"], GatewayPorts(), _clusterId) };
        process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                errors.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task StartSiloAsync(string name)
    {
        var settings = SiloSettings.For(_database!.ConnectionString, _clusterId, name);
        settings["Orchestrator:Runtime"] = "simulated";
        _silos.Add(await SiloProcess.StartAsync(settings));
    }

    private int[] GatewayPorts() => [.. _silos.Select(s => s.GatewayPort)];

    private Task<ProcessResult> OrchAsync(params string[] args) => OrchProcess.RunAsync(args, GatewayPorts(), _clusterId);

    private async Task<List<(string Name, string Status)>> NodesAsync()
    {
        var result = await OrchAsync("nodes", "--json");
        return result.ExitCode != 0 ? [] : JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray()
            .Select(n => (n.GetProperty("name").GetString()!, n.GetProperty("status").GetString()!)).ToList();
    }

    private async Task<List<(int Slot, string State)>> TasksAsync()
    {
        var result = await OrchAsync("ps", "--job", Job, "--json");
        return result.ExitCode != 0 ? [] : JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray()
            .Select(t => (t.GetProperty("slot").GetInt32(), t.GetProperty("state").GetString()!)).ToList();
    }
}
