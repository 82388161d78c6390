using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Faults on the three-engine rig, each ending with the same check: every job has exactly its replicas
/// Running, one per slot, and the containers running on the engines are exactly those tasks (nothing lost,
/// nothing duplicated, no orphans).
/// </summary>
[Collection(FaultClusterRigTests.Name)]
public sealed class FaultRigTests(ClusterRigFixture rig, ITestOutputHelper output)
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(120);

    /// <summary>What a silo logs when grain storage finds the database unreachable.</summary>
    private const string OutageMet = "Database unreachable";

    private readonly StepLog _log = new(output);

    /// <summary>
    /// The killed silo stays dead until the cluster has declared it so and every failed submission has been
    /// retried: the retries then need the grains that lived on it to come back on the survivors (failover).
    /// It is restarted afterwards because SIGKILL took the process, not the machine: its engine still runs
    /// the containers it started, and only its node grain, back on its restarted silo, can adopt or remove
    /// them; leaving it dead would leave those containers as orphans no one may touch.
    /// </summary>
    [Fact]
    public async Task A_silo_killed_with_sigkill_during_a_burst_of_submissions_loses_and_duplicates_nothing()
    {
        // The silos are seconds old at the kill: no restart grace, so the survivors act as a steady cluster's would.
        await using var cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string> { ["Orchestrator:NodeRestartGrace"] = "00:00:00" });
        _log.Step("cluster started");
        await _log.WithSiloLogsOnFailureAsync(cluster, async () =>
        {
            // 24 replicas of 0.1 CPU: 2.4 of the 4 CPUs left while one of the three 2-CPU nodes is down.
            var jobs = Enumerable.Range(0, 12).Select(i => new BurstJob($"burst-{i}", i % 3 + 1)).ToList();
            var files = jobs.ToDictionary(j => j.Name, j => cluster.WriteJob(j.Name, j.Replicas));
            var victimIndex = 1;
            var victim = cluster.Silos[victimIndex];
            var victimNode = rig.Engines[victimIndex].Name;

            // Staggered, so that when the first has returned the others are at every stage: starting, connecting, submitting.
            var finished = 0;
            var firstFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var submissions = jobs.Select(async (job, i) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300 * i));
                var result = await cluster.OrchAsync("run", "-f", files[job.Name]);
                Interlocked.Increment(ref finished);
                firstFinished.TrySetResult();
                return (Job: job, Result: result);
            }).ToList();

            await firstFinished.Task;
            var finishedAtKill = Volatile.Read(ref finished);
            victim.Kill();
            var results = await Task.WhenAll(submissions);
            var failed = results.Where(r => r.Result.ExitCode != 0).ToList();
            _log.Step("burst returned");
            _log.WriteLine($"SIGKILL of {victimNode}'s silo after {finishedAtKill} of {jobs.Count} submissions had returned; {failed.Count} failed:");
            foreach (var (job, result) in failed)
            {
                _log.WriteLine($"  {job.Name}: exit {result.ExitCode}: {result.StdErr.Trim()}");
            }

            // Retried once the cluster knows the silo is dead, so each retry must succeed at once. Two submissions
            // that did succeed, whose replicas all run on the survivors, are sent again too: an identical spec is
            // accepted and changes nothing, so those replicas keep their tasks.
            await Poll.WaitForAsync(() => NodeStatusAsync(cluster, victimNode), s => s == "Down", TimeSpan.FromSeconds(90));
            _log.Step($"{victimNode} down");
            var running = await cluster.TasksAsync();
            var settled = results
                .Where(r => r.Result.ExitCode == 0)
                .Select(r => (r.Job, Tasks: running.Where(t => t.Job == r.Job.Name).ToList()))
                .Where(j => j.Tasks.Count == j.Job.Replicas && j.Tasks.All(t => t.State == "Running" && t.Node != victimNode))
                .Take(2)
                .ToList();
            var resubmitted = failed.Select(f => f.Job).Concat(settled.Select(s => s.Job)).ToList();
            var retries = await Task.WhenAll(resubmitted.Select(async job => (Job: job, Result: await cluster.OrchAsync("run", "-f", files[job.Name]))));
            Assert.All(retries, r => Assert.True(r.Result.ExitCode == 0, $"resubmitting {r.Job.Name} failed: {r.Result}"));

            _log.Step($"{resubmitted.Count} resubmitted");
            await victim.RestartAsync();
            _log.Step($"{victimNode}'s silo restarted");
            var converged = await WaitConvergedAsync(cluster, jobs);
            _log.Step("converged");
            foreach (var (job, tasks) in settled)
            {
                Assert.Equal(tasks.Select(t => t.Id).Order(), converged.Where(t => t.Job == job.Name).Select(t => t.Id).Order());
            }
            _log.WriteLine($"converged: {converged.Count} replicas Running, {converged.Count(t => t.Node == victimNode)} of them on {victimNode}; {settled.Count} running jobs resubmitted unchanged");
        });
    }

    /// <summary>
    /// The cluster's own PostgreSQL (a private server: the shared one serves other tests) goes down for a few
    /// seconds, less than membership tolerates, while users keep working. The silos must ride it out, keep
    /// every running task, accept work again once it is back, and a full restart must find the same state.
    /// </summary>
    [Fact]
    public async Task A_postgres_restart_mid_operation_loses_no_state_and_the_cluster_resumes()
    {
        await using var postgres = await PrivatePostgres.CreateAsync();
        // Each silo's pages on a port of its own, for its /metrics.
        await using var cluster = await RigCluster.StartAsync(
            rig.Engines,
            _ => new Dictionary<string, string> { ["Dashboard:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture) },
            postgresServer: postgres.AdminConnectionString);
        _log.Step("cluster started on a private PostgreSQL");
        await _log.WithSiloLogsOnFailureAsync(cluster, async () =>
        {
            await cluster.RunJobAsync("steady", replicas: 3);
            _log.Step("steady running");
            var before = (await cluster.TasksAsync("--job", "steady")).Where(t => t.State == "Running").Select(t => t.Id).Order().ToList();
            Assert.Equal(3, before.Count);
            var otherFile = cluster.WriteJob("other", replicas: 2);

            var outage = Stopwatch.StartNew();
            await postgres.StopAsync(PostgresStopMode.Fast);
            ProcessResult scaleDuringOutage;
            ProcessResult runDuringOutage;
            try
            {
                var scale = cluster.OrchAsync("scale", "steady", "5");
                var run = cluster.OrchAsync("run", "-f", otherFile);
                // Down until a silo has met the outage in a grain's storage call (orch takes seconds to start on a
                // busy machine), and at least 6 s in all.
                var met = await WaitUntilAsync(() => cluster.Silos.Any(s => s.Log.Contains(OutageMet, StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
                var downFor = TimeSpan.FromSeconds(6) - outage.Elapsed;
                if (downFor > TimeSpan.Zero)
                {
                    await Task.Delay(downFor);
                }
                await postgres.StartAsync();
                _log.Step($"a silo met the outage: {met}");
                _log.Step($"PostgreSQL back after {outage.Elapsed.TotalSeconds:0.0} s down");
                scaleDuringOutage = await scale;
                runDuringOutage = await run;
                _log.Step("operations sent during the outage returned");
            }
            finally
            {
                if (!postgres.IsRunning)
                {
                    await postgres.StartAsync();
                }
            }
            _log.WriteLine($"during the outage: scale exit {scaleDuringOutage.ExitCode} {scaleDuringOutage.StdErr.Trim()}");
            _log.WriteLine($"during the outage: run exit {runDuringOutage.ExitCode} {runDuringOutage.StdErr.Trim()}");
            AssertSucceededOrSaidWhy(scaleDuringOutage);
            AssertSucceededOrSaidWhy(runDuringOutage);
            // A silo that met the outage in a grain's storage call sent the call again, and its /metrics counts that.
            foreach (var silo in cluster.Silos.Where(s => s.Log.Contains(OutageMet, StringComparison.Ordinal)))
            {
                var port = int.Parse(silo.Settings["Dashboard:Port"], CultureInfo.InvariantCulture);
                await MetricsPage.WaitForSampleAsync(port, "orch_storage_retries_total", new Dictionary<string, string>(), atLeast: 1);
            }

            Assert.All(cluster.Silos, s => Assert.False(s.HasExited, "a silo exited while PostgreSQL was down"));
            var steadyNow = await cluster.TasksAsync("--job", "steady");
            Assert.All(before, id => Assert.Contains(steadyNow, t => t.Id == id && t.State == "Running"));

            // Both operations again, now that the database is back: they must succeed and converge.
            var scaleAgain = await cluster.OrchAsync("scale", "steady", "5");
            Assert.True(scaleAgain.ExitCode == 0, $"scale after the outage failed: {scaleAgain}");
            var runAgain = await cluster.OrchAsync("run", "-f", otherFile, "--wait", "--timeout", "90");
            Assert.True(runAgain.ExitCode == 0, $"run after the outage failed: {runAgain}");
            var jobs = new[] { new BurstJob("steady", 5), new BurstJob("other", 2) };
            var converged = await WaitConvergedAsync(cluster, jobs, settle: false);
            _log.Step("converged after the outage");
            Assert.All(before, id => Assert.Contains(converged, t => t.Id == id));

            // Every silo killed and started again: all they know now comes from the database.
            foreach (var silo in cluster.Silos)
            {
                silo.Kill();
            }
            await Task.WhenAll(cluster.Silos.Select(s => s.RestartAsync()));
            _log.Step("every silo restarted");
            var afterRestart = await WaitConvergedAsync(cluster, jobs);
            _log.Step("converged after the restart");
            _log.WriteLine($"after restarting every silo: {afterRestart.Count(t => converged.Any(c => c.Id == t.Id))} of {converged.Count} replicas kept their task");
        });
    }

    /// <summary>
    /// Waits until each job has exactly its replicas, all Running, one per slot, and the running containers
    /// of the cluster on every engine are exactly those tasks; then, with <paramref name="settle"/>, checks that
    /// this still holds a few seconds later.
    /// </summary>
    private static async Task<List<RigTask>> WaitConvergedAsync(RigCluster cluster, IReadOnlyList<BurstJob> jobs, bool settle = true)
    {
        var replicas = jobs.ToDictionary(j => j.Name, j => j.Replicas);
        var converged = await Poll.WaitForAsync(cluster.SnapshotAsync, s => s.IsConverged(replicas), ConvergeTimeout);
        if (!settle)
        {
            return converged.Tasks;
        }
        // A duplicate or an orphan may show up only at the next sweep or reconcile: it must not.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var settled = await cluster.SnapshotAsync();
        Assert.True(settled.IsConverged(replicas), $"converged, then drifted: {JsonSerializer.Serialize(settled)}");
        return settled.Tasks;
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(200);
        }
        return true;
    }

    private static async Task<string?> NodeStatusAsync(RigCluster cluster, string node) =>
        (await cluster.NodesAsync())
            .Where(n => n.GetProperty("name").GetString() == node)
            .Select(n => n.GetProperty("status").GetString())
            .FirstOrDefault();

    /// <summary>An operation refused while the database is down must say so in one line on stderr, not hang or dump a trace.</summary>
    private static void AssertSucceededOrSaidWhy(ProcessResult result)
    {
        if (result.ExitCode == 0)
        {
            return;
        }
        Assert.Equal(1, result.ExitCode);
        var error = result.StdErr.Trim();
        Assert.False(string.IsNullOrEmpty(error), $"failed without a reason: {result}");
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
    }

    private sealed record BurstJob(string Name, int Replicas);
}
