using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A whole-cluster restart (every silo stopped at once and started again, as <c>docker compose restart</c> or a
/// power cut does) keeps every workload, as Kubernetes, Nomad and Swarm do while their control plane restarts.
/// </summary>
[Collection(FaultClusterRigTests.Name)]
public sealed class ClusterRestartRigTests(ClusterRigFixture rig, ITestOutputHelper output)
{
    /// <summary>The silos' default <c>Orchestrator:NodeRestartGrace</c>, the rule under test.</summary>
    private static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// Every silo SIGKILLed, then all started again 5 to 25 s later: each running container must be adopted by its task,
    /// none replaced, and still so once every silo has outlived its restart grace and every job's reminder has fired.
    /// </summary>
    [Fact]
    public async Task Every_silo_killed_and_started_again_adopts_every_running_container_and_replaces_none()
    {
        await using var cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string> { ["Orchestrator:DefaultScheduler"] = "spread" });
        Step("cluster started");
        try
        {
            var jobs = new Dictionary<string, int> { ["web"] = 3, ["api"] = 3 };
            foreach (var (job, replicas) in jobs)
            {
                await cluster.RunJobAsync(job, replicas);
            }
            var engines = rig.Engines.ToArray();
            var before = await cluster.RunningContainersAsync(engines);
            var tasks = await cluster.TasksAsync();
            Assert.Equal(6, before.Count);
            Assert.Equal(tasks.Select(t => t.Id).Order(), before.Values.Order());
            Assert.All(engines, e => Assert.Contains(tasks, t => t.Node == e.Name));
            Step($"6 replicas running: {string.Join(", ", engines.Select(e => $"{tasks.Count(t => t.Node == e.Name)} on {e.Name}"))}");

            foreach (var silo in cluster.Silos)
            {
                silo.Kill();
            }
            Step("every silo killed");
            // Machines boot at different speeds: the first silo is back 5 s after the kill and alone for a while, long
            // enough to see the others' old selves declared dead before they return 10 and 20 s later.
            await Task.WhenAll(cluster.Silos.Select(async (silo, i) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5 + (10 * i)));
                await silo.RestartAsync();
                Step($"silo {i} up again");
            }));
            var restarted = _clock.Elapsed;
            Step("every silo started again");

            var adopted = await RigCluster.WaitForAsync(() => ProbeAsync(cluster, engines), s => Converged(s, jobs), TimeSpan.FromSeconds(120));
            Step("converged");
            AssertNothingReplaced(before, adopted);

            // Once every silo is past its grace, the level checks judge nodes for real, and every job's reminder
            // (each minute) has reconciled since the restart: still nothing may move.
            var wait = RestartGrace + TimeSpan.FromSeconds(15) - (_clock.Elapsed - restarted);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var settled = await ProbeAsync(cluster, engines);
            Step("past the restart grace");
            Assert.True(Converged(settled, jobs), $"drifted after the restart grace: {JsonSerializer.Serialize(settled)}");
            AssertNothingReplaced(before, settled);
            output.WriteLine($"all {before.Count} containers adopted by their tasks; none replaced");
        }
        catch
        {
            for (var i = 0; i < cluster.Silos.Count; i++)
            {
                var lines = cluster.Silos[i].Log.Split('\n');
                output.WriteLine($"--- silo {i} (exited: {cluster.Silos[i].HasExited}), last {Math.Min(lines.Length, 150)} of {lines.Length} lines");
                output.WriteLine(string.Join('\n', lines.TakeLast(150)));
            }
            throw;
        }
    }

    private static async Task<Snapshot> ProbeAsync(RigCluster cluster, RigEngine[] engines) =>
        new(await cluster.TasksAsync(), await cluster.RunningContainersAsync(engines));

    /// <summary>Each job has exactly its replicas Running, one per slot, and the running containers are exactly those tasks.</summary>
    private static bool Converged(Snapshot s, IReadOnlyDictionary<string, int> jobs) =>
        jobs.All(j =>
        {
            var tasks = s.Tasks.Where(t => t.Job == j.Key).ToList();
            return tasks.Count == j.Value && tasks.All(t => t.State == "Running")
                && tasks.Select(t => t.Slot).Order().SequenceEqual(Enumerable.Range(0, j.Value));
        })
        && s.Tasks.Select(t => t.Id).Order().SequenceEqual(s.Containers.Values.Order());

    private static void AssertNothingReplaced(Dictionary<string, string> before, Snapshot now)
    {
        var replaced = before.Keys.Count(id => !now.Containers.ContainsKey(id));
        Assert.True(replaced == 0, $"{replaced} of {before.Count} containers replaced: {JsonSerializer.Serialize(now)}");
        Assert.Equal(before.Keys.Order(), now.Containers.Keys.Order());
        Assert.Equal(before.Values.Order(), now.Tasks.Select(t => t.Id).Order());
    }

    private void Step(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {what}");

    private sealed record Snapshot(List<RigTask> Tasks, Dictionary<string, string> Containers);
}
