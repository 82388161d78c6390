using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// One seeded run on the engine rig: real silos on a PostgreSQL server of the run's own, a workload of service,
/// crashing and one-shot jobs that keeps submitting, scaling and stopping, the seed's fault schedule applied step
/// by step, then every fault healed and the convergence property checked once the cluster had its time.
/// Everything it starts is stopped and removed again, pass or fail.
/// </summary>
internal sealed class ChaosRun : IAsyncDisposable
{
    /// <summary>How long a healed cluster may take to converge before what is still wrong counts as violated.</summary>
    public static readonly TimeSpan ConvergeBound = TimeSpan.FromSeconds(150);

    /// <summary>Converged must still hold this much later: a duplicate or orphan may show up only at the next sweep.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);

    /// <summary>Never scaled or stopped by the workload, so a restart of every silo must leave its containers alone.</summary>
    private const string SteadyJob = "web-a";

    private readonly IReadOnlyList<RigEngine> _engines;
    private readonly int _seed;
    private readonly IReadOnlyList<FaultStep> _schedule;
    private readonly Action<string> _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-chaos-").FullName;
    private readonly Lock _lock = new();
    private readonly List<string> _timeline = [];
    private readonly Dictionary<string, Violation> _overcommits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlannedJob> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _background = new();
    private readonly List<Task> _backgroundTasks = [];
    private PrivatePostgres? _postgres;
    private RigCluster? _cluster;
    private EngineEventLog? _events;
    private Dictionary<string, string>? _keptBefore;

    private ChaosRun(IReadOnlyList<RigEngine> engines, int seed, IReadOnlyList<FaultStep> schedule, Action<string> log)
    {
        _engines = engines;
        _seed = seed;
        _schedule = schedule;
        _log = log;
    }

    private string SwitchFile => Path.Combine(_dir, "call-faults-on");

    private RigCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");

    private PrivatePostgres Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL is not started");

    /// <summary>Runs the schedule of <paramref name="seed"/> with <paramref name="steps"/> faults and returns what it found.</summary>
    public static async Task<ChaosResult> RunAsync(IReadOnlyList<RigEngine> engines, int seed, int steps, Action<string> log)
    {
        var schedule = FaultSchedule.Generate(seed, steps, engines.Count);
        log(FaultSchedule.Describe(seed, schedule));
        await using var run = new ChaosRun(engines, seed, schedule, log);
        try
        {
            return await run.ExecuteAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the chaos run could not be carried out; {FaultSchedule.Describe(seed, schedule)}\ntimeline:\n  {string.Join("\n  ", run.Timeline())}", e);
        }
    }

    private async Task<ChaosResult> ExecuteAsync()
    {
        var started = _clock.Elapsed;
        _postgres = await PrivatePostgres.CreateAsync();
        var rates = new Random(_seed);
        var dropRate = Math.Round(0.02 + (rates.NextDouble() * 0.08), 3);
        var delayRate = Math.Round(0.1 + (rates.NextDouble() * 0.2), 3);
        _cluster = await RigCluster.StartAsync(_engines, engine => new Dictionary<string, string>
        {
            ["Orchestrator:Testing:CallFaults:DropRate"] = dropRate.ToString(CultureInfo.InvariantCulture),
            ["Orchestrator:Testing:CallFaults:DelayRate"] = delayRate.ToString(CultureInfo.InvariantCulture),
            ["Orchestrator:Testing:CallFaults:MaxDelay"] = "00:00:02",
            ["Orchestrator:Testing:CallFaults:Seed"] = ((_seed * 31) + engine.Index).ToString(CultureInfo.InvariantCulture),
            ["Orchestrator:Testing:CallFaults:SwitchFile"] = SwitchFile,
        }, _postgres.AdminConnectionString);
        Note($"cluster {Cluster.ClusterId} started (call faults when on: drop {dropRate}, delay {delayRate})");
        _events = new EngineEventLog(_engines, Cluster.ClusterId);
        _backgroundTasks.Add(SampleNodesAsync(_background.Token));

        // Submitted through one in-process client, since six runs of orch cost half a minute on a busy machine;
        // everything after goes through orch as a user would.
        await using (var client = await TestClusterClient.ConnectAsync(Cluster.Silos.Select(s => s.GatewayPort).ToArray(), Cluster.ClusterId))
        {
            string[] httpd = ["httpd", "-f", "-p", "8080", "-h", "/www"];
            PlannedJob[] initial =
            [
                Plan(SteadyJob, JobKind.Service, 3, httpd, "always"),
                Plan("web-b", JobKind.Service, 2, httpd, "on-failure"),
                Plan("crash-a", JobKind.Crashing, 2, ["sh", "-c", "sleep 4; exit 3"], "always"),
                Plan("crash-b", JobKind.Crashing, 1, ["sh", "-c", "sleep 3; exit 1"], "on-failure"),
                Plan("once-a", JobKind.OneShot, 2, ["sh", "-c", "sleep 6; exit 0"], "never"),
                Plan("once-b", JobKind.OneShot, 2, ["sh", "-c", "sleep 15; exit 0"], "on-failure"),
            ];
            await Task.WhenAll(initial.Select(job => client.Client.GetJob(job.Job.Name).SubmitAsync(Spec(job))));
            lock (_lock)
            {
                foreach (var job in initial)
                {
                    _jobs[job.Job.Name] = job with { LastCommandFailed = false };
                }
            }
        }
        await WaitForAsync(s => s.Tasks.Count(t => t.Job is SteadyJob or "web-b" && t.State == "Running") == 5, TimeSpan.FromSeconds(120), "the services to run before the faults");
        Note("workload running");

        var scheduleStart = _clock.Elapsed;
        using (var churnStop = new CancellationTokenSource())
        {
            var churn = ChurnAsync(new Random(_seed ^ 0x5EED), churnStop.Token);
            foreach (var (step, index) in _schedule.Select((s, i) => (s, i)))
            {
                var wait = scheduleStart + step.At - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                await ApplyAsync(step, isLast: index == _schedule.Count - 1);
            }
            await churnStop.CancelAsync();
            await churn;
        }

        await HealAsync();
        var healed = _clock.Elapsed;
        Note("healed");
        TimeSpan? timeToConverge = null;
        while (_clock.Elapsed - healed < ConvergeBound)
        {
            await RestartExitedSilosAsync();
            if (await SnapshotAsync() is { } snapshot && ConvergenceChecker.Check(snapshot, Jobs()).Count == 0)
            {
                timeToConverge = _clock.Elapsed - healed;
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Note(timeToConverge is { } t ? $"converged after {t.TotalSeconds:0.0} s" : $"not converged within {ConvergeBound.TotalSeconds:0} s");

        var first = await AllViolationsAsync();
        await Task.Delay(Settle);
        var second = await AllViolationsAsync();
        var violations = ConvergenceChecker.Persisting(first, second).ToList();
        lock (_lock)
        {
            violations.AddRange(_overcommits.Values);
        }
        if (violations.Count > 0)
        {
            _log(Cluster.SiloLogs(150));
            await LogEventsOfAsync(violations);
        }
        return new ChaosResult(_seed, _schedule, Timeline(), timeToConverge, _clock.Elapsed - started, violations);
    }

    /// <summary>The task events (every transition with its reason) of each job a violation names: what the task itself decided.</summary>
    private async Task LogEventsOfAsync(IReadOnlyList<Violation> violations)
    {
        var named = Jobs().Select(j => j.Name)
            .Where(job => violations.Any(v => v.Subject.Contains(job + "-", StringComparison.Ordinal) || v.Subject.Contains(" " + job + " ", StringComparison.Ordinal)));
        foreach (var job in named)
        {
            var events = await OrchAsync("events", "--job", job);
            _log($"--- orch events --job {job} (exit {events.ExitCode})\n{events.StdOut}{events.StdErr}");
        }
    }

    private async Task<List<Violation>> AllViolationsAsync()
    {
        var snapshot = await SnapshotAsync();
        if (snapshot is null)
        {
            return [new Violation("orch", "ps or nodes failed after healing")];
        }
        var jobs = Jobs();
        var violations = ConvergenceChecker.Check(snapshot, jobs)
            .Concat(ConvergenceChecker.OneShots(snapshot, _events!.Runs(), jobs))
            .ToList();
        if (_keptBefore is not null)
        {
            violations.AddRange(ConvergenceChecker.ContainersKept(_keptBefore, snapshot));
        }
        return violations;
    }

    private async Task ApplyAsync(FaultStep step, bool isLast)
    {
        Note($"{step}: begins");
        var silo = step.Target >= 0 ? Cluster.Silos[step.Target] : null;
        var engine = step.Target >= 0 ? _engines[step.Target] : null;
        switch (step.Kind)
        {
            case FaultKind.KillSilo:
                silo!.Kill();
                await Task.Delay(step.Duration);
                await RestartSiloAsync(step.Target);
                break;
            case FaultKind.KillMachine:
                // Frozen first, so that the silo cannot restart what dies before it dies itself, as on a machine.
                if (silo!.ProcessId is { } machinePid)
                {
                    await SignalAsync("STOP", machinePid);
                }
                await KillContainersAsync(engine!);
                silo.Kill();
                await Task.Delay(step.Duration);
                await RestartSiloAsync(step.Target);
                break;
            case FaultKind.FreezeSilo:
                if (silo!.ProcessId is not { } siloPid)
                {
                    Note($"{step}: the silo does not run, nothing to freeze");
                    break;
                }
                await SignalAsync("STOP", siloPid);
                try
                {
                    await Task.Delay(step.Duration);
                }
                finally
                {
                    await SignalAsync("CONT", siloPid);
                }
                break;
            case FaultKind.PostgresOutage:
                await Postgres.StopAsync(PostgresStopMode.Fast);
                try
                {
                    await Task.Delay(step.Duration);
                }
                finally
                {
                    await Postgres.StartAsync();
                }
                break;
            case FaultKind.FreezeEngine:
                var enginePid = engine!.ProcessId ?? throw new InvalidOperationException($"the engine of {engine.Name} does not run");
                await SignalAsync("STOP", enginePid);
                try
                {
                    await Task.Delay(step.Duration);
                }
                finally
                {
                    await SignalAsync("CONT", enginePid);
                }
                break;
            case FaultKind.RestartAllSilos:
                if (isLast)
                {
                    await RecordSteadyContainersAsync();
                }
                // All at once, as a power cut does: killed one after another (each waited for), a silo still alive
                // saw the others die and, old enough, rightly declared their nodes lost (seed 940 under load).
                await Task.WhenAll(Cluster.Silos.Select(each => Task.Run(each.Kill)));
                await Task.Delay(step.Duration);
                await Task.WhenAll(Enumerable.Range(0, Cluster.Silos.Count).Select(RestartSiloAsync));
                break;
            case FaultKind.CallFaults:
                await File.WriteAllTextAsync(SwitchFile, "");
                try
                {
                    await Task.Delay(step.Duration);
                }
                finally
                {
                    File.Delete(SwitchFile);
                }
                break;
            default:
                throw new InvalidOperationException($"no way to apply {step.Kind}");
        }
        Note($"{step}: undone");
    }

    /// <summary>SIGKILL to every running container of the cluster on one engine, once: what restarts them is frozen.</summary>
    private async Task KillContainersAsync(RigEngine engine)
    {
        var running = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { Filters = OurLabel() });
        foreach (var container in running)
        {
            try
            {
                await engine.Client.Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "KILL" });
            }
            catch (Docker.DotNet.DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // Exited or removed meanwhile.
            }
        }
        Note($"killed {running.Count} containers on {engine.Name}");
    }

    private Dictionary<string, IDictionary<string, bool>> OurLabel() =>
        new() { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster.ClusterId}"] = true } };

    /// <summary>
    /// Notes which container each replica of the steady job runs, once it is settled (all Running, every node
    /// Ready), so that an earlier fault's replacements still under way are not taken for the restart's doing.
    /// </summary>
    private async Task RecordSteadyContainersAsync()
    {
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(30);
        while (_clock.Elapsed < deadline)
        {
            if (await SnapshotAsync() is { } s && s.Nodes.All(n => n.Status == "Ready")
                && s.Tasks.Where(t => t.Job == SteadyJob && t.IsLive).ToList() is { Count: 3 } live
                && live.All(t => t.State == "Running" && t.ContainerId is not null)
                && ConvergenceChecker.Containers(s, Jobs()).All(v => !live.Any(t => v.Subject.Contains(t.Id, StringComparison.Ordinal))))
            {
                _keptBefore = live.ToDictionary(t => t.Id, t => t.ContainerId!, StringComparer.Ordinal);
                Note($"before restarting every silo, {SteadyJob} runs {string.Join(", ", _keptBefore.Select(k => $"{k.Key}={k.Value[..Math.Min(12, k.Value.Length)]}"))}");
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Note($"{SteadyJob} did not settle before the restart of every silo: its containers are not compared afterwards");
    }

    /// <summary>Every fault undone: call faults off, PostgreSQL up, engines and silos thawed, every silo running, every failed command sent again.</summary>
    private async Task HealAsync()
    {
        File.Delete(SwitchFile);
        if (!Postgres.IsRunning)
        {
            await Postgres.StartAsync();
        }
        foreach (var pid in _engines.Select(e => e.ProcessId).Concat(Cluster.Silos.Select(s => s.ProcessId)).OfType<int>())
        {
            await SignalAsync("CONT", pid);
        }
        await RestartExitedSilosAsync();
        List<PlannedJob> failed;
        lock (_lock)
        {
            failed = [.. _jobs.Values.Where(j => j.LastCommandFailed)];
        }
        foreach (var job in failed)
        {
            ProcessResult? result = null;
            for (var attempt = 0; attempt < 3 && result is not { ExitCode: 0 }; attempt++)
            {
                result = job.Job.Stopped ? await OrchAsync("stop", job.Job.Name) : await OrchAsync("run", "-f", job.File);
                Note($"heal: {(job.Job.Stopped ? "stop" : "run")} {job.Job.Name} again: exit {result.ExitCode} {result.StdErr.Trim()}");
                if (job.Job.Stopped && result.StdErr.Contains("no job named", StringComparison.Ordinal))
                {
                    // Its submission was lost to a fault: there is nothing to stop.
                    break;
                }
                if (result.ExitCode != 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(3));
                }
            }
        }
    }

    /// <summary>A frozen silo may find itself declared dead when thawed and exit: healing starts it again.</summary>
    private async Task RestartExitedSilosAsync()
    {
        for (var i = 0; i < Cluster.Silos.Count; i++)
        {
            if (Cluster.Silos[i].HasExited)
            {
                Note($"silo node-{i + 1} had exited; starting it again");
                await RestartSiloAsync(i);
            }
        }
    }

    private async Task RestartSiloAsync(int index)
    {
        try
        {
            await Cluster.Silos[index].RestartAsync(TimeSpan.FromSeconds(120));
        }
        catch (InvalidOperationException e)
        {
            Note($"silo node-{index + 1} did not come back ({e.Message.Split('\n')[0]}); healing tries again");
        }
    }

    /// <summary>Submits, scales and stops jobs every few seconds while faults happen.</summary>
    private async Task ChurnAsync(Random random, CancellationToken cancellationToken)
    {
        var next = 0;
        while (true)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(random.Next(6, 13)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            switch (random.Next(5))
            {
                case 0:
                    await ScaleAsync("web-b", random.Next(1, 5));
                    break;
                case 1:
                    await ScaleAsync("crash-a", random.Next(1, 4));
                    break;
                case 2:
                    var sleep = random.Next(3, 21);
                    await SubmitAsync($"once-{next++}", JobKind.OneShot, random.Next(1, 3), ["sh", "-c", $"sleep {sleep}; exit 0"], random.Next(2) == 0 ? "never" : "on-failure");
                    break;
                case 3:
                    await SubmitAsync($"tmp-{next++}", JobKind.Service, 1, ["httpd", "-f", "-p", "8080", "-h", "/www"], "always");
                    break;
                default:
                    string[] stoppable;
                    lock (_lock)
                    {
                        stoppable = [.. _jobs.Values.Where(j => !j.Job.Stopped && (j.Job.Name.StartsWith("tmp-", StringComparison.Ordinal) || j.Job.Name.StartsWith("once-", StringComparison.Ordinal))).Select(j => j.Job.Name).Order()];
                    }
                    if (stoppable.Length > 0)
                    {
                        await StopAsync(stoppable[random.Next(stoppable.Length)]);
                    }
                    break;
            }
        }
    }

    private PlannedJob Plan(string name, JobKind kind, int replicas, string[] command, string policy)
    {
        var cpu = kind == JobKind.Service ? 0.1 : 0.05;
        var memory = kind == JobKind.Service ? 16L : 8L;
        var job = new PlannedJob(new WorkloadJob(name, kind, replicas, cpu, memory), Path.Combine(_dir, $"{name}.json"), command, policy, LastCommandFailed: true);
        WriteJobFile(job);
        return job;
    }

    private static JobSpec Spec(PlannedJob job) => new()
    {
        Name = job.Job.Name,
        Image = MainEngine.TestImage,
        Command = job.Command,
        Replicas = job.Job.Replicas,
        Resources = new ResourceSpec { Cpu = job.Job.Cpu, MemoryMb = job.Job.MemoryMb },
        Restart = new RestartSpec { Policy = job.Policy, MaxRestarts = MaxRestarts(job.Job.Kind), BackoffSeconds = 1 },
    };

    private static int MaxRestarts(JobKind kind) => kind == JobKind.Crashing ? 100 : 5;

    private async Task SubmitAsync(string name, JobKind kind, int replicas, string[] command, string policy)
    {
        var job = Plan(name, kind, replicas, command, policy);
        lock (_lock)
        {
            _jobs[name] = job;
        }
        await CommandAsync(name, $"run {name} ({kind}, {replicas} replicas, {policy})", "run", "-f", job.File);
    }

    private async Task ScaleAsync(string name, int replicas)
    {
        PlannedJob job;
        lock (_lock)
        {
            job = _jobs[name] = _jobs[name] with { Job = _jobs[name].Job with { Replicas = replicas } };
        }
        // The file follows, so that sending it again after a failed scale asks for the same thing.
        WriteJobFile(job);
        await CommandAsync(name, $"scale {name} {replicas}", "scale", name, replicas.ToString(CultureInfo.InvariantCulture));
    }

    private async Task StopAsync(string name)
    {
        lock (_lock)
        {
            _jobs[name] = _jobs[name] with { Job = _jobs[name].Job with { Stopped = true } };
        }
        await CommandAsync(name, $"stop {name}", "stop", name);
    }

    private async Task CommandAsync(string job, string what, params string[] args)
    {
        var result = await OrchAsync(args);
        lock (_lock)
        {
            _jobs[job] = _jobs[job] with { LastCommandFailed = result.ExitCode != 0 };
        }
        Note($"{what}: exit {result.ExitCode}{(result.ExitCode == 0 ? "" : " " + result.StdErr.Trim().Split('\n')[0])}");
    }

    private static void WriteJobFile(PlannedJob job) =>
        File.WriteAllText(job.File, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = job.Job.Name,
            ["image"] = MainEngine.TestImage,
            ["command"] = job.Command,
            ["replicas"] = job.Job.Replicas,
            ["resources"] = new Dictionary<string, object> { ["cpu"] = job.Job.Cpu, ["memoryMb"] = job.Job.MemoryMb },
            ["restart"] = new Dictionary<string, object>
            {
                ["policy"] = job.Policy,
                ["maxRestarts"] = MaxRestarts(job.Job.Kind),
                ["backoffSeconds"] = 1,
            },
        }));

    /// <summary>Reads <c>orch nodes</c> throughout the run: no node may ever be overcommitted, faults or not.</summary>
    private async Task SampleNodesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var nodes = await NodesAsync();
            foreach (var violation in ConvergenceChecker.Overcommit(nodes ?? []))
            {
                lock (_lock)
                {
                    _overcommits.TryAdd(violation.Subject, violation with { Detail = $"{violation.Detail} at +{_clock.Elapsed.TotalSeconds:0.0}s" });
                }
            }
            try
            {
                await Task.Delay(SampleInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WaitForAsync(Func<ClusterSnapshot, bool> done, TimeSpan timeout, string what)
    {
        var deadline = _clock.Elapsed + timeout;
        while (await SnapshotAsync() is not { } s || !done(s))
        {
            if (_clock.Elapsed > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}\n{Cluster.SiloLogs(80)}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>orch ps --all, orch nodes and every container of the cluster on every engine; null when orch fails.</summary>
    private async Task<ClusterSnapshot?> SnapshotAsync()
    {
        var ps = await OrchAsync("ps", "--all", "--json");
        var nodes = await NodesAsync();
        if (ps.ExitCode != 0 || nodes is null)
        {
            return null;
        }
        var tasks = JsonDocument.Parse(ps.StdOut).RootElement.EnumerateArray().Select(t => new TaskView(
            t.GetProperty("id").GetString()!,
            t.GetProperty("job").GetString()!,
            t.GetProperty("slot").GetInt32(),
            t.GetProperty("state").GetString()!,
            Text(t, "node"),
            Text(t, "containerId"),
            t.GetProperty("restarts").GetInt32(),
            Text(t, "reason"))).ToList();
        var containers = new List<ContainerView>();
        foreach (var engine in _engines)
        {
            var all = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = OurLabel() });
            containers.AddRange(all.Select(c => new ContainerView(engine.Name, c.ID, c.Labels[ContainerLabels.Task], c.Labels[ContainerLabels.Node], c.State == "running")));
        }
        return new ClusterSnapshot(tasks, containers, nodes);
    }

    private async Task<List<NodeView>?> NodesAsync()
    {
        var result = await OrchAsync("nodes", "--json");
        return result.ExitCode != 0 ? null : [.. JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().Select(n => new NodeView(
            n.GetProperty("name").GetString()!,
            n.GetProperty("status").GetString()!,
            n.GetProperty("cpus").GetDouble(),
            n.GetProperty("memoryMb").GetInt64(),
            n.GetProperty("allocatedCpu").GetDouble(),
            n.GetProperty("allocatedMemoryMb").GetInt64(),
            n.GetProperty("tasks").GetInt32()))];
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<ProcessResult> OrchAsync(params string[] args)
    {
        try
        {
            return await OrchProcess.RunAsync(args, Cluster.Silos.Select(s => s.GatewayPort).ToArray(), Cluster.ClusterId, CliTimeout);
        }
        catch (TimeoutException e)
        {
            return new ProcessResult(-1, "", e.Message);
        }
    }

    private static Task<ProcessResult> SignalAsync(string signal, int pid) =>
        HostCommand.RunAsync("kill", "-" + signal, pid.ToString(CultureInfo.InvariantCulture));

    private IReadOnlyList<WorkloadJob> Jobs()
    {
        lock (_lock)
        {
            return [.. _jobs.Values.Select(j => j.Job)];
        }
    }

    private void Note(string what)
    {
        var line = $"+{_clock.Elapsed.TotalSeconds:0.0}s {what}";
        lock (_lock)
        {
            _timeline.Add(line);
        }
        _log(line);
    }

    private List<string> Timeline()
    {
        lock (_lock)
        {
            return [.. _timeline];
        }
    }

    /// <summary>Thaws and restarts what a failed run may have left frozen or stopped, then removes everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        await _background.CancelAsync();
        await Task.WhenAll(_backgroundTasks);
        _background.Dispose();
        File.Delete(SwitchFile);
        foreach (var pid in _engines.Select(e => e.ProcessId).OfType<int>())
        {
            await SignalAsync("CONT", pid);
        }
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }
        try
        {
            if (_postgres is { IsRunning: false })
            {
                await _postgres.StartAsync();
            }
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A job as the workload last asked for it, the file that asks for it again, and whether that ask failed.</summary>
    private sealed record PlannedJob(WorkloadJob Job, string File, string[] Command, string Policy, bool LastCommandFailed);
}
