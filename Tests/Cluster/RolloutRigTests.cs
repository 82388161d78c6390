using System.Text.Json;
using Docker.DotNet.Models;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A rolling update on three real silos and engines, watched from outside the way a load balancer sees it: every
/// published port of the job is asked for its page every 100 ms while versions roll out and roll back.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class RolloutRigTests(ClusterRigFixture rig, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Replicas = 4;
    private const int MaxParallel = 1;
    private const int MinHealthySeconds = 2;

    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    public async Task InitializeAsync() =>
        _cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string> { ["Orchestrator:DefaultScheduler"] = "spread" });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Replicas_keep_answering_through_a_rollout_an_automatic_revert_and_a_rollback()
    {
        Assert.Equal(0, (await Cluster.OrchAsync("run", "-f", Version("v1", "/"), "--wait", "--timeout", "120")).ExitCode);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.WaitForAsync(() => AnsweringAsync(http), n => n == Replicas);
        using var stop = new CancellationTokenSource();
        var probe = ProbeAsync(http, stop.Token);

        var rolled = await Cluster.OrchAsync("run", "-f", Version("v2", "/"), "--wait", "--timeout", "150");
        var batches = await CreationTimesAsync();
        var reverted = await Cluster.OrchAsync("run", "-f", Version("v3", "/missing"), "--wait", "--timeout", "150");
        // The revert's new version is marked current by the job's next look at its replicas, a moment after the old one
        // reverted, which is when the wait above ends.
        var afterRevert = await Poll.WaitForAsync(HistoryAsync, h => h.FirstOrDefault() == (4, "current"), TimeSpan.FromSeconds(30));
        // Version 4 is version 2's spec again, so version 2's replicas are its replicas: nothing was replaced twice.
        var runningAfterRevert = await RunningAsync();
        var rollback = await Cluster.OrchAsync("rollback", "web", "--to", "1");
        var rolledBack = await Poll.WaitForAsync(RunningAsync, r => r.SequenceEqual(Enumerable.Repeat((5, "Healthy"), Replicas)), TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        var fewest = await probe;

        Assert.True(rolled.ExitCode == 0, rolled.ToString());
        // One at a time (maxParallel 1): each new replica was created only after the one before had counted for minHealthySeconds.
        Assert.Equal(Replicas, batches.Count);
        Assert.All(batches.Zip(batches.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(MinHealthySeconds), $"{pair.First:O} then {pair.Second:O}"));
        Assert.Equal(1, reverted.ExitCode);
        Assert.Contains("version 3", reverted.StdErr + reverted.StdOut, StringComparison.Ordinal);
        // Version 1 may itself have failed its deadline on a loaded machine before version 2 superseded it.
        Assert.Equal([(4, "current"), (3, "reverted"), (2, "superseded")], afterRevert.Take(3));
        Assert.Equal(Enumerable.Repeat((2, "Healthy"), Replicas), runningAfterRevert);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(Enumerable.Repeat((5, "Healthy"), Replicas), rolledBack);
        output.WriteLine($"fewest replicas answering through the rollout, the revert and the rollback: {fewest} of {Replicas}");
        Assert.True(fewest >= Replicas - MaxParallel, $"only {fewest} replicas answered at one point");
    }

    private async Task<List<(int Version, string Status)>> HistoryAsync() =>
        JsonDocument.Parse((await Cluster.OrchAsync("history", "web", "--json")).StdOut).RootElement.EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("status").GetString() ?? ""))
            .ToList();

    /// <summary>When each Running replica of version 2 was created, in order, as orch ps shows it.</summary>
    private async Task<List<DateTimeOffset>> CreationTimesAsync() =>
        JsonDocument.Parse((await Cluster.OrchAsync("ps", "--json")).StdOut).RootElement.EnumerateArray()
            .Where(t => t.GetProperty("state").GetString() == "Running" && t.GetProperty("version").GetInt32() == 2)
            .Select(t => t.GetProperty("createdAt").GetDateTimeOffset())
            .Order()
            .ToList();

    /// <summary>The version and health of each Running replica, as orch ps shows them.</summary>
    private async Task<List<(int Version, string Health)>> RunningAsync() =>
        JsonDocument.Parse((await Cluster.OrchAsync("ps", "--json")).StdOut).RootElement.EnumerateArray()
            .Where(t => t.GetProperty("state").GetString() == "Running")
            .Select(t => (t.GetProperty("version").GetInt32(), t.GetProperty("health").GetString() ?? ""))
            .ToList();

    /// <summary>A version of the web job: <paramref name="greeting"/> in its env, and a health check that asks <paramref name="healthPath"/>.</summary>
    private string Version(string greeting, string healthPath) => Cluster.WriteJob("web", Replicas, extraFields: $$"""
        "env": { "GREETING": "{{greeting}}" },
        "health": { "http": { "port": 8080, "path": "{{healthPath}}" }, "intervalSeconds": 1, "timeoutSeconds": 1, "failureThreshold": 2 },
        "update": { "maxParallel": {{MaxParallel}}, "minHealthySeconds": {{MinHealthySeconds}}, "healthyDeadlineSeconds": 10, "autoRevert": true },
        "restart": { "policy": "always", "maxRestarts": 100, "backoffSeconds": 1 },
        """);

    /// <summary>The fewest of the job's containers that answered at once, asked every 100 ms until cancelled.</summary>
    private async Task<int> ProbeAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var fewest = int.MaxValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            fewest = Math.Min(fewest, await AnsweringAsync(http));
            await Task.Delay(100, CancellationToken.None);
        }
        return fewest;
    }

    private async Task<int> AnsweringAsync(HttpClient http)
    {
        var ports = new List<int>();
        foreach (var engine in rig.Engines)
        {
            var running = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster.ClusterId}"] = true, [$"{ContainerLabels.Job}=web"] = true },
                },
            });
            ports.AddRange(running.SelectMany(c => c.Ports).Where(p => p.PublicPort is > 0).Select(p => (int)p.PublicPort!.Value).Distinct());
        }
        var answers = await Task.WhenAll(ports.Select(async port =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }));
        return answers.Count(a => a);
    }
}
