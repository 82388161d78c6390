using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Npgsql;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Bench.Cluster;
using Orchestrator.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Scale;

/// <summary>
/// <c>scale --nodes K --jobs M [--replicas R]</c>: the control plane alone. <c>--silos</c> real silo processes with the simulated
/// runtime share the K nodes between them (<c>Orchestrator:SimulatedNodes</c>, hollow nodes as Kubernetes' kubemark
/// has them: a hundred silos on two cores would measure Orleans' membership on an overloaded machine, not the
/// control plane) and PostgreSQL for membership, state and reminders. <c>--clients</c> Orleans clients, spread over
/// the silos' gateways, submit M jobs of R replicas each (M × R tasks) with <c>--inflight</c> submissions each in flight.
/// Measured: time from the first submission to the last task Running, per-task latency (its job's submit → the task's
/// own Running event), the CPU time of the silo processes and of the PostgreSQL server, what the server did
/// (commits, statements, WAL bytes) and the peak resident memory of the silo processes.
/// Before the measured run, <c>--warmup</c> percent of the jobs (at least one, unless 0) are submitted, run and stopped,
/// and their nodes emptied: a cluster serves its submissions warm, and a cold one spends its first seconds compiling.
/// </summary>
internal sealed class ScaleScenario(int nodes, int jobs, int replicas, int clients, int inflight, int silos, int warmup) : IScenario
{
    /// <summary>Connections of all silos together, under PostgreSQL's default limit of 100.</summary>
    private const int PostgresConnectionsPerRun = 80;

    /// <summary>The statements listed in the report, those run most often first.</summary>
    private const int TopStatements = 12;

    private static readonly TimeSpan HostStartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long the idle cluster is watched before the run: its nodes' heartbeats, sweeps and membership cost
    /// CPU and commits whether tasks are submitted or not, and the per-task figures include that.
    /// </summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);

    // Submissions that got no answer within Orleans' response timeout (30 s) and were sent again.
    private int _timedOut;

    // Submissions the cluster cancelled (an OperationCanceledException this benchmark did not cause) and that were sent again.
    private int _cancelled;

    private readonly int _tasks = jobs * replicas;

    // The warm-up's jobs: the given percent of the measured ones, at least one.
    private readonly int _warmupJobs = warmup == 0 ? 0 : Math.Max(1, jobs * warmup / 100);

    public static ScaleScenario From(BenchArguments arguments)
    {
        var scenario = new ScaleScenario(
            arguments.Int("nodes", null, 1, 500),
            arguments.Int("jobs", null, 1, 100_000),
            arguments.Int("replicas", 1, 1, SpecLimits.MaxReplicas),
            arguments.Int("clients", 4, 1, 64),
            arguments.Int("inflight", 50, 1, 10_000),
            arguments.Int("silos", 2, 1, 16),
            arguments.Int("warmup", 10, 0, 100));
        return scenario._tasks <= 100_000 ? scenario : throw new UsageException($"--jobs × --replicas is {scenario._tasks} tasks; at most 100000");
    }

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var clusterId = SiloSettings.NewClusterId("bench");
        await using var database = await BenchDatabase.CreateAsync();
        var postgres = await PostgresActivity.OpenAsync(database.ConnectionString);
        if (silos > nodes)
        {
            throw new UsageException($"--silos {silos} is more than --nodes {nodes}: every silo hosts at least its own node");
        }
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            MaxPoolSize = Math.Max(10, PostgresConnectionsPerRun / silos),
        }.ConnectionString;

        var hosts = new List<SiloProcess>();
        var connected = new List<TestClusterClient>();
        try
        {
            var startup = Stopwatch.StartNew();
            Progress.Say($"starting {silos} silo(s) hosting {nodes} simulated nodes");
            hosts.AddRange(await Task.WhenAll(Enumerable.Range(0, silos).Select(s => SiloProcess.StartAsync(SettingsFor(connection, clusterId, s), HostStartTimeout))));
            // The process ids are there to attach a profiler (dotnet-trace, perf) to during the run.
            Progress.Say("silo process ids: " + string.Join(", ", hosts.Select(h => h.ProcessId)));
            foreach (var i in Enumerable.Range(0, clients))
            {
                connected.Add(await TestClusterClient.ConnectAsync(hosts[i % silos].GatewayPort, clusterId));
            }
            await WaitForNodesAsync(connected[0].Client, cancellationToken);
            var startupSeconds = startup.Elapsed.TotalSeconds;
            await WarmUpAsync(connected.Select(c => c.Client).ToArray(), cancellationToken);
            var writtenBefore = await CountWritesAsync(database.ConnectionString);
            var remindersBefore = await CountRemindersAsync(database.ConnectionString);
            Progress.Say($"{nodes} nodes Ready after {startupSeconds:0} s; submitting {jobs} jobs of {replicas} replicas ({_tasks} tasks)");

            var loadBefore = ProcessStats.LoadAverage();
            var idleFrom = await UsageAsync(hosts, postgres);
            await Task.Delay(IdleWindow, cancellationToken);
            var before = await UsageAsync(hosts, postgres);
            var idle = before.Since(idleFrom);
            await postgres.ResetStatementsAsync();
            var submissions = await SubmitAsync(connected.Select(c => c.Client).ToArray(), "s", jobs, cancellationToken);
            Progress.Say($"submitted in {(submissions.Max(s => s.Returned) - submissions.Min(s => s.Submitted)).TotalSeconds:0.0} s; waiting for every task to run");
            var running = await WaitForRunningAsync(connected.Select(c => c.Client).ToArray(), submissions, cancellationToken);
            var used = (await UsageAsync(hosts, postgres)).Since(before);
            var load = $"load average before {loadBefore}, after {ProcessStats.LoadAverage()}";
            var statements = await postgres.TopStatementsAsync(TopStatements);
            var peaks = hosts.Select(h => h.ProcessId is { } pid ? ProcessStats.PeakResidentMb(pid) ?? double.NaN : double.NaN).ToArray();
            var writes = Since(await CountWritesAsync(database.ConnectionString), writtenBefore);
            var reminders = await CountRemindersAsync(database.ConnectionString) - remindersBefore;
            return Report(submissions, running, peaks, idle, used, postgres, statements, writes, reminders, load, startupSeconds, total.Elapsed);
        }
        finally
        {
            foreach (var client in connected)
            {
                await client.DisposeAsync();
            }
            await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Silo <paramref name="index"/> of the run, hosting its share of the nodes.</summary>
    private Dictionary<string, string> SettingsFor(string connection, string clusterId, int index)
    {
        var share = (nodes / silos) + (index < nodes % silos ? 1 : 0);
        var settings = SiloSettings.For(connection, clusterId, string.Create(CultureInfo.InvariantCulture, $"sim{index + 1}"));
        settings["Orchestrator:Runtime"] = "simulated";
        settings["Orchestrator:SimulatedNodes"] = share.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>Waits until every node is Ready, then checks that the tasks fit the nodes at all.</summary>
    private async Task WaitForNodesAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + HostStartTimeout;
        var directory = grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);
        IReadOnlyList<NodeInfo> ready;
        while ((ready = (await directory.ListAsync()).Where(n => n.Status == NodeStatus.Ready).ToArray()).Count < nodes)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"fewer than {nodes} nodes were Ready after {HostStartTimeout.TotalMinutes:0} min");
            }
            await Task.Delay(500, cancellationToken);
        }
        var spec = BenchJobs.Sleepers("capacity", 1).Resources;
        var perNode = Math.Min(Math.Floor(ready.Min(n => n.Cpus) / spec.Cpu), Math.Floor((double)ready.Min(n => n.MemoryMb) / spec.MemoryMb));
        if (perNode * nodes < _tasks)
        {
            throw new UsageException($"{_tasks} tasks of {spec.Cpu} CPU and {spec.MemoryMb} MB do not fit on {nodes} simulated nodes of " +
                $"{ready.Min(n => n.Cpus)} CPUs and {ready.Min(n => n.MemoryMb)} MB (at most {perNode * nodes}); use more nodes");
        }
    }

    /// <summary>
    /// Submits the warm-up's jobs, waits for their tasks to run, stops them and waits until every node is empty again;
    /// the submissions it sent again are not the measured run's.
    /// </summary>
    private async Task WarmUpAsync(IClusterClient[] grains, CancellationToken cancellationToken)
    {
        if (_warmupJobs == 0)
        {
            return;
        }
        Progress.Say($"warming up: {_warmupJobs} jobs of {replicas} replicas, run and stopped before the measured run");
        var submissions = await SubmitAsync(grains, "w", _warmupJobs, cancellationToken);
        await WaitForRunningAsync(grains, submissions, cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, _warmupJobs).Select(i => grains[i % grains.Length].GetJob(JobName("w", i)).StopAsync()));
        var directory = grains[0].GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key);
        var deadline = DateTimeOffset.UtcNow + RunTimeout;
        while ((await directory.ListAsync()).Any(n => n.Tasks > 0))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the warm-up's tasks still held nodes {RunTimeout.TotalMinutes:0} min after their jobs stopped");
            }
            await Task.Delay(500, cancellationToken);
        }
        _timedOut = 0;
        _cancelled = 0;
    }

    private static string JobName(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:000000}");

    /// <summary>
    /// Submits <paramref name="count"/> jobs named <paramref name="prefix"/> and a number; each client keeps <c>inflight</c>
    /// submissions going, taking the next job from one shared counter.
    /// </summary>
    private async Task<Submission[]> SubmitAsync(IClusterClient[] grains, string prefix, int count, CancellationToken cancellationToken)
    {
        var submissions = new Submission[count];
        var next = -1;
        // The first submission that fails for good stops the others, rather than letting them run on for minutes.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? firstFailure = null;
        async Task WorkAsync(IClusterClient client)
        {
            try
            {
                await SubmitEachAsync(client);
            }
            catch (Exception e) when (!failed.IsCancellationRequested)
            {
                // Whatever its type: a call the cluster cancelled is an OperationCanceledException too.
                Interlocked.CompareExchange(ref firstFailure, ExceptionDispatchInfo.Capture(e), null);
                await failed.CancelAsync();
                throw;
            }
        }
        async Task SubmitEachAsync(IClusterClient client)
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                failed.Token.ThrowIfCancellationRequested();
                var name = JobName(prefix, i);
                var spec = BenchJobs.Sleepers(name, replicas);
                var submitted = DateTimeOffset.UtcNow;
                JobInfo job;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        job = await client.GetJob(name).SubmitAsync(spec);
                        break;
                    }
                    catch (TimeoutException e) when (DateTimeOffset.UtcNow - submitted < RunTimeout)
                    {
                        // What a user's client would do: submitting the same spec again is harmless (docs/CONTRACT.md, Resubmission and versions). Counted and reported.
                        // Bounded by time, not attempts: a job of a thousand replicas can take minutes to submit on a busy machine.
                        Interlocked.Increment(ref _timedOut);
                        Progress.Say($"submit of {name} timed out (attempt {attempt}, {(DateTimeOffset.UtcNow - submitted).TotalSeconds:0} s after the first), submitting again: {e.Message.Split('.')[0]}");
                    }
                    catch (OperationCanceledException e) when (!failed.IsCancellationRequested && DateTimeOffset.UtcNow - submitted < RunTimeout)
                    {
                        // Cancelled inside the cluster, not by this benchmark: seen under load after earlier attempts timed out.
                        // Sent again like a timeout, counted apart, and the first one shown whole so its origin can be read.
                        if (Interlocked.Increment(ref _cancelled) == 1)
                        {
                            Progress.Say($"submit of {name} was cancelled by the cluster (attempt {attempt}), submitting again: {e}");
                        }
                    }
                }
                if (job.LiveTaskIds.Count != replicas)
                {
                    throw new InvalidOperationException($"job {name} has {job.LiveTaskIds.Count} live tasks after its submission, not {replicas}");
                }
                submissions[i] = new Submission(job.LiveTaskIds.ToArray(), submitted, DateTimeOffset.UtcNow);
            }
        }
        var workers = grains.SelectMany(c => Enumerable.Range(0, inflight).Select(_ => WorkAsync(c))).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception) when (firstFailure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            // The others were stopped by the first failure: that one is the one to report.
            failure.Throw();
        }
        return submissions;
    }

    /// <summary>Asks the tasks not yet Running, a slice at a time, until all are; returns when each became Running, in the order of <see cref="Tasks"/>.</summary>
    private static async Task<DateTimeOffset[]> WaitForRunningAsync(IClusterClient[] grains, Submission[] submissions, CancellationToken cancellationToken)
    {
        const int Slice = 500;
        var tasks = Tasks(submissions).Select(t => t.TaskId).ToArray();
        var running = new DateTimeOffset?[tasks.Length];
        var deadline = DateTimeOffset.UtcNow + RunTimeout;
        while (true)
        {
            var waiting = Enumerable.Range(0, tasks.Length).Where(i => running[i] is null).ToArray();
            if (waiting.Length == 0)
            {
                return running.Select(r => r!.Value).ToArray();
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{waiting.Length} of {tasks.Length} tasks were not Running after {RunTimeout.TotalMinutes:0} min");
            }
            foreach (var (slice, n) in waiting.Chunk(Slice).Select((s, n) => (s, n)))
            {
                var client = grains[n % grains.Length];
                var infos = await Task.WhenAll(slice.Select(i => client.GetGrain<ITaskGrain>(tasks[i]).GetAsync()));
                foreach (var (i, info) in slice.Zip(infos))
                {
                    if (info is { State: TaskState.Failed })
                    {
                        throw new InvalidOperationException($"task {info.Id} failed: {info.Reason}");
                    }
                    if (info is { State: TaskState.Running })
                    {
                        running[i] = BenchJobs.RunningSince(info);
                    }
                }
            }
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>
    /// Rows and writes per state name: every write of a grain's state bumps its row's version by one, so the sum of
    /// versions counts the writes the run made (reads are not counted).
    /// </summary>
    private static async Task<IReadOnlyList<(string State, long Rows, long Writes)>> CountWritesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT grain_type_string, count(*), sum(version) FROM orleans_storage GROUP BY grain_type_string ORDER BY 3 DESC", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var counts = new List<(string, long, long)>();
        while (await reader.ReadAsync())
        {
            counts.Add((reader.GetString(0), reader.GetInt64(1), (long)reader.GetDecimal(2)));
        }
        return counts;
    }

    /// <summary>The rows and writes of the measured run: those at its end less those before it, per state name.</summary>
    private static List<(string State, long Rows, long Writes)> Since(
        IReadOnlyList<(string State, long Rows, long Writes)> after, IReadOnlyList<(string State, long Rows, long Writes)> before)
    {
        var earlier = before.ToDictionary(b => b.State, StringComparer.Ordinal);
        return [.. after
            .Select(a => earlier.TryGetValue(a.State, out var b) ? (a.State, a.Rows - b.Rows, a.Writes - b.Writes) : a)
            .OrderByDescending(w => w.Item3)];
    }

    /// <summary>Rows of orleans_reminders: the reminders the cluster keeps.</summary>
    private static async Task<long> CountRemindersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM orleans_reminders", connection);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    private static async Task<RunUsage> UsageAsync(IReadOnlyList<SiloProcess> hosts, PostgresActivity postgres)
    {
        using var self = Process.GetCurrentProcess();
        return new RunUsage(
            TimeSpan.FromMilliseconds(Environment.TickCount64),
            hosts.Sum(h => h.ProcessId is { } pid ? ProcessStats.CpuSeconds(pid) ?? 0 : 0),
            self.TotalProcessorTime.TotalSeconds,
            ProcessStats.MachineBusySeconds(),
            await postgres.SampleAsync());
    }

    /// <summary>Every submitted task with its job's submission time, job by job and in slot order.</summary>
    private static IEnumerable<(string TaskId, DateTimeOffset Submitted)> Tasks(Submission[] submissions) =>
        submissions.SelectMany(s => s.TaskIds.Select(id => (id, s.Submitted)));

    private BenchReport Report(
        Submission[] submissions,
        DateTimeOffset[] running,
        double[] peaks,
        RunUsage idle,
        RunUsage used,
        PostgresActivity postgres,
        IReadOnlyList<StatementCount> statements,
        IReadOnlyList<(string State, long Rows, long Writes)> writes,
        long reminders,
        string load,
        double startupSeconds,
        TimeSpan took)
    {
        var first = submissions.Min(s => s.Submitted);
        var seconds = (running.Max() - first).TotalSeconds;
        var latencies = Tasks(submissions).Select((t, i) => (running[i] - t.Submitted).TotalMilliseconds).ToArray();
        var window = used.Clock.TotalSeconds;
        var pg = used.Postgres;
        var report = new BenchReport("scale", $"scale: {jobs} jobs × {replicas} replicas ({_tasks} tasks) on {nodes} simulated nodes");
        report.Add("nodes", nodes, "simulated nodes", decimals: 0);
        report.Add("jobs", jobs, "jobs", decimals: 0);
        report.Add("replicas", replicas, "replicas per job", decimals: 0);
        report.Add("tasks", _tasks, "tasks (jobs × replicas)", decimals: 0);
        report.Add("seconds", seconds, "first submit → last task Running", "s", 2);
        report.Add("tasks_per_s", _tasks / seconds, "throughput", "tasks/s", 0);
        report.Add("p50_ms", Statistics.Percentile(latencies, 50), "submit → Running, p50", "ms", 0);
        report.Add("p99_ms", Statistics.Percentile(latencies, 99), "submit → Running, p99", "ms", 0);
        report.Add("submit_s", (submissions.Max(s => s.Returned) - first).TotalSeconds, "first submit → last submit returned", "s", 2);
        report.Add("submit_timeouts", _timedOut, "submissions timed out (30 s) and sent again", decimals: 0);
        report.Add("submit_cancellations", _cancelled, "submissions cancelled by the cluster and sent again", decimals: 0);
        report.Add("window_s", window, "measured: first submit → every task seen Running", "s", 1);
        report.Add("silo_cpu_s", used.SiloCpuSeconds, $"silo processes' CPU time, sum of {silos}", "s", 1);
        report.Add("silo_cpu_ms_per_task", used.SiloCpuSeconds * 1000 / _tasks, "… per task", "ms", 2);
        if (pg.CpuSeconds is { } pgCpu)
        {
            report.Add("pg_cpu_s", pgCpu, "PostgreSQL's CPU time (all its processes)", "s", 1);
            report.Add("pg_cpu_ms_per_task", pgCpu * 1000 / _tasks, "… per task", "ms", 2);
            report.Add("pg_cpu_share_pct", 100 * pgCpu / (pgCpu + used.SiloCpuSeconds), "PostgreSQL's share of silos + PostgreSQL", "%", 0);
        }
        else
        {
            report.Note("PostgreSQL's CPU time: not measured, its server does not run on this machine (no postgres backend process here).");
        }
        report.Add("client_cpu_s", used.ClientCpuSeconds, "this benchmark's CPU time (clients, polling)", "s", 1);
        report.Add("machine_busy_cpu_s", used.MachineBusySeconds, $"whole machine's busy CPU time ({Environment.ProcessorCount} cores)", "s", 1);
        report.Add("other_cpu_s", used.MachineBusySeconds - used.SiloCpuSeconds - used.ClientCpuSeconds - (pg.CpuSeconds ?? 0), "… of it neither silos, PostgreSQL nor this benchmark", "s", 1);
        report.Add("load", load, "machine");
        report.Add("commits", pg.Commits, "PostgreSQL commits in the run's database", decimals: 0);
        report.Add("commits_per_s", pg.Commits / window, "… per second", "/s", 0);
        report.Add("commits_per_task", pg.Commits / (double)_tasks, "… per task", decimals: 2);
        if (pg.Statements is { } count)
        {
            report.Add("statements", count, "PostgreSQL statements (pg_stat_statements)", decimals: 0);
            report.Add("statements_per_task", count / (double)_tasks, "… per task", decimals: 2);
        }
        else
        {
            report.Note("statements: not counted, the server does not preload pg_stat_statements (scripts/bench.sh starts one that does).");
        }
        report.Add("wal_bytes", (double)pg.WalBytes, "WAL written (whole server)", "bytes", 0);
        report.Add("wal_bytes_per_task", (double)pg.WalBytes / _tasks, "… per task", "bytes", 0);
        var idleSeconds = idle.Clock.TotalSeconds;
        report.Add("idle_silo_cpu_per_s", idle.SiloCpuSeconds / idleSeconds, $"idle before the run ({idleSeconds:0} s): silos' CPU per second", "s", 3);
        if (idle.Postgres.CpuSeconds is { } idlePg)
        {
            report.Add("idle_pg_cpu_per_s", idlePg / idleSeconds, "… PostgreSQL's CPU per second", "s", 3);
        }
        report.Add("idle_commits_per_s", idle.Postgres.Commits / idleSeconds, "… commits per second", "/s", 0);
        report.Add("peak_rss_mb", peaks.Sum(), $"silo processes' peak RSS, sum of {peaks.Length}", "MiB", 0);
        report.Add("state_rows", writes.Sum(w => w.Rows), "grain state rows the measured run added (orleans_storage)", decimals: 0);
        report.Add("reminder_rows", reminders, "reminder rows the measured run added (orleans_reminders)", decimals: 0);
        report.Add("persisted_tasks", writes.Where(w => w.State == StorageNames.TaskState).Sum(w => w.Rows), "task states the measured run added to PostgreSQL", decimals: 0);
        report.Add("state_writes_per_task", writes.Sum(w => w.Writes) / (double)_tasks, "grain state writes per task (all grains)", decimals: 2);
        report.Add("silos", silos, "silo processes (hosting the nodes between them)", decimals: 0);
        report.Add("clients", clients, "clients", decimals: 0);
        report.Add("inflight_per_client", inflight, "submissions in flight per client", decimals: 0);
        report.Add("warmup_jobs", _warmupJobs, $"jobs of {replicas} replicas run and stopped before the measured run (--warmup {warmup} %)", decimals: 0);
        report.Add("startup_s", startupSeconds, "silos up and nodes Ready", "s", 0);
        report.Add("wall_s", took.TotalSeconds, "whole run took", "s", 0);
        report.AddTable("state_writes", "grain state the measured run added and wrote, by state name (writes = growth of the sum of row versions)",
            ["state", "rows", "writes"], ["state", "rows", "writes"],
            writes.Select(w => (IReadOnlyList<object>)[w.State, (int)w.Rows, (int)w.Writes]));
        if (postgres.HasStatements)
        {
            report.AddTable("statements_top", $"the {TopStatements} statements run most often (pg_stat_statements, the measured window)",
                ["calls", "per task", "exec ms", "statement"], ["calls", "per_task", "exec_ms", "statement"],
                statements.Select(t => (IReadOnlyList<object>)[(int)t.Calls, t.Calls / (double)_tasks, t.Milliseconds, t.Text]));
        }
        report.Note("latency: the client's clock before its job's SubmitAsync → the task's own Running event (same host clock).");
        report.Note("CPU, commits, statements and WAL: differences over the measured window, which ends when a poll (every 0.5 s) has seen every task Running.");
        report.Note("commits: pg_stat_database, which a backend updates at most once a second, so up to a second of commits at either end may fall outside.");
        report.Note("WAL: the whole server's, full-page images after a checkpoint included; on a server of its own it is this run's.");
        report.Note("peak RSS: VmHWM of each silo process, read before they stop, summed.");
        return report;
    }

    /// <summary>One job's submission: its tasks in slot order, when it was first sent and when the call that succeeded returned.</summary>
    private sealed record Submission(string[] TaskIds, DateTimeOffset Submitted, DateTimeOffset Returned);
}
