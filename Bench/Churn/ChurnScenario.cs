using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Bench.Cluster;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Churn;

/// <summary>
/// <c>churn [--minutes 10] [--clients 4] [--drain-minutes 0]</c>: does the control plane stay flat while jobs come
/// and go? One silo process on PostgreSQL with the simulated runtime and a one-minute <c>Orchestrator:TaskRetention</c>.
/// Each client submits a job of 1–3 replicas under a new name, waits until every replica runs, stops it, and starts
/// over, for the given minutes. Every 30 s the silo's resident memory, managed heap and activations, and the rows of
/// orleans_storage and orleans_reminders are sampled; <c>--drain-minutes</c> keeps sampling after the churn ends, to
/// show what pruning leaves behind.
/// </summary>
internal sealed class ChurnScenario(int minutes, int clients, int drainMinutes) : IScenario
{
    private const string Node = "churn-node";
    private const double MiB = 1024 * 1024;
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RunningTimeout = TimeSpan.FromSeconds(60);

    private int _submitted;
    private int _stopped;
    private int _errors;
    private string? _firstError;

    public static ChurnScenario From(BenchArguments arguments) => new(
        arguments.Int("minutes", 10, 1, 240),
        arguments.Int("clients", 4, 1, 64),
        arguments.Int("drain-minutes", 0, 0, 60));

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var loadBefore = ProcessStats.LoadAverage();
        var clusterId = SiloSettings.NewClusterId("bench");
        await using var database = await BenchDatabase.CreateAsync();
        var settings = SiloSettings.For(database.ConnectionString, clusterId, Node);
        settings["Orchestrator:Runtime"] = "simulated";
        settings["Orchestrator:TaskRetention"] = Retention.ToString("c", CultureInfo.InvariantCulture);
        Progress.Say("starting one silo (simulated runtime, task retention 1 min)");
        await using var silo = await SiloProcess.StartAsync(settings);
        var pid = silo.ProcessId ?? throw new InvalidOperationException($"the silo exited at start; log:\n{silo.Log}");
        await using var client = await TestClusterClient.ConnectAsync(silo.GatewayPort, clusterId);
        var grains = client.Client;

        var clock = Stopwatch.StartNew();
        var churnFor = TimeSpan.FromMinutes(minutes);
        var runFor = churnFor + TimeSpan.FromMinutes(drainMinutes);
        var samples = new List<ChurnSample> { await SampleAsync(clock.Elapsed, pid, grains, database.ConnectionString) };
        Progress.Say($"churning with {clients} clients for {minutes} min");
        using var churn = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        churn.CancelAfter(churnFor);
        var workers = Enumerable.Range(0, clients).Select(c => ChurnAsync(grains, c, churn.Token)).ToArray();
        for (var next = SampleEvery; next <= runFor; next += SampleEvery)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            if (next >= churnFor)
            {
                await Task.WhenAll(workers);
            }
            var sample = await SampleAsync(clock.Elapsed, pid, grains, database.ConnectionString);
            samples.Add(sample);
            Progress.Say(string.Create(CultureInfo.InvariantCulture,
                $"{sample.At.TotalMinutes:0.0} min: RSS {sample.ResidentMb:0} MB, heap {sample.ManagedHeapMb:0} MB, {sample.Activations} activations, {sample.StateRows} state rows, {sample.Submitted} jobs submitted, {_errors} errors"));
        }
        await Task.WhenAll(workers);
        if (silo.HasExited)
        {
            throw new InvalidOperationException($"the silo died during the run; log:\n{silo.Log}");
        }
        return Report(samples, churnFor, ProcessStats.PeakResidentMb(pid), loadBefore, ProcessStats.LoadAverage());
    }

    private async Task ChurnAsync(IClusterClient grains, int client, CancellationToken stop)
    {
        for (var cycle = 0; !stop.IsCancellationRequested; cycle++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"churn-{client}-{cycle}");
            var replicas = 1 + (cycle % 3);
            var job = grains.GetJob(name);
            try
            {
                await job.SubmitAsync(BenchJobs.Sleepers(name, replicas));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(e);
                continue;
            }
            Interlocked.Increment(ref _submitted);
            try
            {
                await WaitRunningAsync(grains, job, replicas, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The churn is over; this job is stopped like any other.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(e);
            }
            try
            {
                await job.StopAsync();
                Interlocked.Increment(ref _stopped);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(e);
            }
        }
    }

    private static async Task WaitRunningAsync(IClusterClient grains, IJobGrain job, int replicas, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RunningTimeout;
        while (true)
        {
            var info = await job.GetAsync() ?? throw new InvalidOperationException("the job vanished while starting");
            var tasks = await Task.WhenAll(info.LiveTaskIds.Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync()));
            if (tasks.Count(t => t?.State == TaskState.Running) == replicas)
            {
                return;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"job {info.Name} was not running after {RunningTimeout.TotalSeconds:0} s");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private void Failed(Exception e)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            _firstError = $"{e.GetType().Name}: {e.Message}";
            Progress.Say($"first error: {_firstError}");
        }
    }

    private async Task<ChurnSample> SampleAsync(TimeSpan at, int pid, IClusterClient grains, string connectionString)
    {
        var resident = ProcessStats.ResidentMb(pid) ?? double.NaN;
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var statistics = (await management.GetRuntimeStatistics(hosts.Keys.ToArray())).Single();
        var jobs = await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM orleans_storage), (SELECT count(*) FROM orleans_reminders)", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ChurnSample(
            at,
            resident,
            statistics.EnvironmentStatistics.RawMemoryUsageBytes / MiB,
            statistics.ActivationCount,
            reader.GetInt64(0),
            reader.GetInt64(1),
            jobs.Count,
            Volatile.Read(ref _submitted));
    }

    private BenchReport Report(List<ChurnSample> samples, TimeSpan churnFor, double? peakMb, string loadBefore, string loadAfter)
    {
        var start = samples[0];
        var mid = samples.MinBy(s => Math.Abs((s.At - (churnFor / 2)).TotalSeconds))!;
        var end = samples.MinBy(s => Math.Abs((s.At - churnFor).TotalSeconds))!;
        var last = samples[^1];
        var report = new BenchReport("churn", $"churn: {clients} clients submit and stop jobs for {minutes} min on one silo (simulated runtime)");
        report.Add("minutes", minutes, "churn lasted", "min", 0);
        report.Add("clients", clients, "clients", decimals: 0);
        report.Add("jobs", _submitted, "jobs submitted", decimals: 0);
        report.Add("stopped", _stopped, "jobs stopped", decimals: 0);
        report.Add("jobs_per_s", _submitted / churnFor.TotalSeconds, "submissions", "/s", 2);
        report.Add("errors", _errors, "errors", decimals: 0);
        report.Add("rss_start_mb", start.ResidentMb, "silo RSS before the churn", "MB", 0);
        report.Add("rss_mid_mb", mid.ResidentMb, "silo RSS half-way", "MB", 0);
        report.Add("rss_end_mb", end.ResidentMb, "silo RSS at the end of the churn", "MB", 0);
        report.Add("rss_peak_mb", peakMb ?? samples.Max(s => s.ResidentMb), "silo RSS peak (VmHWM)", "MB", 0);
        report.Add("heap_mid_mb", mid.ManagedHeapMb, "managed heap half-way", "MB", 0);
        report.Add("heap_end_mb", end.ManagedHeapMb, "managed heap at the end of the churn", "MB", 0);
        report.Add("rows_start", start.StateRows, "state rows before the churn", decimals: 0);
        report.Add("rows_mid", mid.StateRows, "state rows half-way", decimals: 0);
        report.Add("rows_end", end.StateRows, "state rows at the end of the churn", decimals: 0);
        report.Add("rows_peak", samples.Max(s => s.StateRows), "state rows peak", decimals: 0);
        if (drainMinutes > 0)
        {
            report.Add("drain_minutes", drainMinutes, "sampled after the churn", "min", 0);
            report.Add("rows_drained", last.StateRows, "state rows after the drain", decimals: 0);
            report.Add("reminders_drained", last.ReminderRows, "reminder rows after the drain", decimals: 0);
            report.Add("rss_drained_mb", last.ResidentMb, "silo RSS after the drain", "MB", 0);
        }
        report.AddTable(
            "samples",
            "every 30 s",
            ["minute", "RSS MB", "heap MB", "activations", "state rows", "reminders", "jobs listed", "submitted"],
            ["minute", "rss_mb", "heap_mb", "activations", "rows", "reminders", "jobs_listed", "submitted"],
            samples.Select(s => (IReadOnlyList<object>)[
                Math.Round(s.At.TotalMinutes, 2),
                Math.Round(s.ResidentMb, 1),
                Math.Round(s.ManagedHeapMb, 1),
                s.Activations,
                (int)s.StateRows,
                (int)s.ReminderRows,
                s.ListedJobs,
                s.Submitted]));
        report.Note("Orchestrator:TaskRetention is 1 min and job reminders tick once a minute, so an ended task and a stopped job live 1 to 2 min after the stop.");
        report.Note("each client: a new job name per cycle, 1-3 replicas of busybox sleep (simulated), wait until all Running, stop, repeat.");
        report.Note("heap: the managed memory Orleans' silo statistics report (IManagementGrain.GetRuntimeStatistics).");
        report.Note($"machine: {Environment.ProcessorCount} cores; load average before {loadBefore}, after {loadAfter} (other work on the machine counts).");
        if (_firstError is not null)
        {
            report.Note($"first error: {_firstError}");
        }
        return report;
    }
}
