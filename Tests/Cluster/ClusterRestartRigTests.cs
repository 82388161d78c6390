using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// A whole-cluster restart (every silo stopped at once and started again, as <c>docker compose restart</c> or a
/// power cut does) keeps every workload, as Kubernetes, Nomad and Swarm do while their control plane restarts.
/// </summary>
[Collection(ClusterRigTests.Name)]
public sealed class ClusterRestartRigTests(ClusterRigFixture rig, ITestOutputHelper output)
{
    /// <summary>The silos' default <c>Orchestrator:NodeRestartGrace</c>, the rule under test.</summary>
    private static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(60);

    private readonly StepLog _log = new(output);

    /// <summary>
    /// Every silo SIGKILLed, then all started again 5 to 25 s later: each running container must be adopted by its task,
    /// none replaced, and still so once every silo has outlived its restart grace and every job's reminder has fired.
    /// </summary>
    [Fact]
    public async Task Every_silo_killed_and_started_again_adopts_every_running_container_and_replaces_none()
    {
        await using var cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string> { ["Orchestrator:DefaultScheduler"] = "spread" });
        _log.Step("cluster started");
        await _log.WithSiloLogsOnFailureAsync(cluster, async () =>
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
            _log.Step($"6 replicas running: {string.Join(", ", engines.Select(e => $"{tasks.Count(t => t.Node == e.Name)} on {e.Name}"))}");

            foreach (var silo in cluster.Silos)
            {
                silo.Kill();
            }
            _log.Step("every silo killed");
            // Machines boot at different speeds: the first silo is back 5 s after the kill and alone for a while, long
            // enough to see the others' old selves declared dead before they return 10 and 20 s later.
            await Task.WhenAll(cluster.Silos.Select(async (silo, i) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5 + (10 * i)));
                await silo.RestartAsync();
                _log.Step($"silo {i} up again");
            }));
            var restarted = _log.Elapsed;
            _log.Step("every silo started again");

            var adopted = await Poll.WaitForAsync(cluster.SnapshotAsync, s => s.IsConverged(jobs), TimeSpan.FromSeconds(120));
            _log.Step("converged");
            AssertNothingReplaced(before, adopted);

            // Once every silo is past its grace, the level checks judge nodes for real, and every job's reminder
            // (each minute) has reconciled since the restart: still nothing may move.
            var wait = RestartGrace + TimeSpan.FromSeconds(15) - (_log.Elapsed - restarted);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var settled = await cluster.SnapshotAsync();
            _log.Step("past the restart grace");
            Assert.True(settled.IsConverged(jobs), $"drifted after the restart grace: {JsonSerializer.Serialize(settled)}");
            AssertNothingReplaced(before, settled);
            _log.WriteLine($"all {before.Count} containers adopted by their tasks; none replaced");
        });
    }

    private static void AssertNothingReplaced(Dictionary<string, string> before, RigSnapshot now)
    {
        var replaced = before.Keys.Count(id => !now.Containers.ContainsKey(id));
        Assert.True(replaced == 0, $"{replaced} of {before.Count} containers replaced: {JsonSerializer.Serialize(now)}");
        Assert.Equal(before.Keys.Order(), now.Containers.Keys.Order());
        Assert.Equal(before.Values.Order(), now.Tasks.Select(t => t.Id).Order());
    }
}
