using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Faults of one machine's Docker engine while its silo stays up, on three real silos and engines:
/// the engine restarted (its containers die with it) and the engine frozen (its API accepts connections
/// but never answers). Afterwards nothing is lost and nothing runs twice: every replica the policies keep
/// runs exactly once, and the containers on the engines are exactly the tasks <c>orch ps</c> shows.
/// </summary>
/// <remarks>
/// What counts as "no orphans": every container of the cluster belongs to a task <c>orch ps --all</c>
/// knows, no task has two, running containers are exactly the Running tasks, and a stopped container
/// belongs only to an ended task, which keeps it for <c>orch logs</c> until its job is stopped (as
/// Kubernetes keeps the container of a failed pod).
/// </remarks>
[Collection(FaultClusterRigTests.Name)]
public sealed class EngineFaultRigTests(ClusterRigFixture rig, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private readonly string _jobDir = Directory.CreateTempSubdirectory("orch-engine-faults-").FullName;
    private RigCluster? _cluster;

    private RigCluster Cluster => _cluster!;

    private RigEngine Victim => rig.Engines[2];

    public async Task InitializeAsync() =>
        _cluster = await RigCluster.StartAsync(rig.Engines, _ => new Dictionary<string, string> { ["Orchestrator:DefaultScheduler"] = "spread" });

    public async Task DisposeAsync()
    {
        try
        {
            if (_cluster is not null)
            {
                // Starts an engine a failed test left stopped, and removes every container of the cluster.
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(_jobDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_restarted_engine_has_its_tasks_follow_their_restart_policy_and_leaves_no_orphans()
    {
        await RunAsync(WriteJob("keeper", replicas: 3, "always"), wait: true);
        await RunAsync(WriteJob("oneshot", replicas: 3, "never"), wait: true);
        var before = await TasksAsync();
        // Spread puts one replica of each job on each node.
        var oneshotOnVictim = Assert.Single(before, t => t.Job == "oneshot" && t.Node == Victim.Name);
        Assert.Single(before, t => t.Job == "keeper" && t.Node == Victim.Name);

        try
        {
            // SIGTERM: dockerd stops its containers and exits, as on a machine's engine restart (no live-restore).
            await Victim.StopAsync();
        }
        finally
        {
            await Victim.StartAsync();
        }

        var after = await Poll.WaitForAsync(SnapshotAsync, s =>
            s.Running("keeper").Count == 3
            && s.Running("oneshot").Count == 2
            && s.Task(oneshotOnVictim.Id) is { } ended && IsTerminal(ended.State)
            && s.Node(Victim.Name) == "Ready"
            && s.ContainersMatchTasks(), TimeSpan.FromSeconds(120));

        AssertNoOrphans(after);
        Assert.Equal([0, 1, 2], after.Running("keeper").Select(t => t.Slot).Order());
        // never: the task the engine restart killed ends, is not restarted, and its slot is not refilled.
        var oneshot = after.Task(oneshotOnVictim.Id)!;
        Assert.Equal(0, oneshot.Restarts);
        Assert.Single(after.Tasks, t => t.Job == "oneshot" && t.Slot == oneshotOnVictim.Slot);
        Assert.DoesNotContain(after.Running("oneshot"), t => t.Slot == oneshotOnVictim.Slot);
        // The engine kept the stopped container of the ended task, for its logs.
        Assert.Contains(after.Containers, c => c.TaskId == oneshot.Id && !c.Running);
        var keeper = after.Running("keeper").Single(t => t.Slot == before.Single(b => b.Job == "keeper" && b.Node == Victim.Name).Slot);
        output.WriteLine($"keeper replica of {Victim.Name}: {keeper.Id} on {keeper.Node}, {keeper.Restarts} restarts; oneshot {oneshot.Id}: {oneshot.State} ({oneshot.Reason})");

        // The node's event stream is subscribed again: it stops reporting the stream lost once the engine is back.
        var losses = EventStreamLosses();
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(losses, EventStreamLosses());
        // And it works: a container killed behind the orchestrator's back is noticed and restarted in place (always).
        foreach (var container in after.Containers.Where(c => c.Engine == Victim.Name && c.Running))
        {
            await Victim.Client.Containers.KillContainerAsync(container.Id, new ContainerKillParameters { Signal = "KILL" });
        }
        var killed = after.Running("keeper").Where(t => t.Node == Victim.Name).ToList();
        var restarted = await Poll.WaitForAsync(SnapshotAsync, s =>
            s.Running("keeper").Count == 3
            && killed.All(k => s.Running("keeper").Any(t => t.Id == k.Id && t.Restarts > k.Restarts))
            && s.ContainersMatchTasks(), TimeSpan.FromSeconds(60));
        AssertNoOrphans(restarted);
    }

    [Fact]
    public async Task A_frozen_engine_times_out_and_the_rest_of_the_cluster_keeps_working()
    {
        await RunAsync(WriteJob("steady", replicas: 3, "always"), wait: true);
        var steady = await TasksAsync();
        Assert.Single(steady, t => t.Node == Victim.Name);
        var late = WriteJob("late", replicas: 2, "on-failure");
        // Connected beforehand, so "fresh" is placed at once after the freeze, while the frozen node still
        // looks Ready: the scheduler sends it replicas, whose starts must time out. orch itself may take
        // longer to start on a loaded machine than the cluster takes to see the node Down.
        await using var client = await TestClusterClient.ConnectAsync(Cluster.Silos.Select(s => s.GatewayPort).ToArray(), Cluster.ClusterId);

        var pid = Victim.ProcessId ?? throw new InvalidOperationException($"the engine of {Victim.Name} is not running");
        await HostCommand.RunCheckedAsync("kill", "-STOP", pid.ToString(CultureInfo.InvariantCulture));
        try
        {
            await client.Client.GetJob("fresh").SubmitAsync(new JobSpec
            {
                Name = "fresh",
                Image = MainEngine.TestImage,
                Command = ["sleep", "3600"],
                Replicas = 4,
                Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
            });
            // Every command answers while one engine hangs: each run of orch fails the test if it takes over 30 s.
            await RunAsync(late, wait: false);
            var frozen = await Poll.WaitForAsync(SnapshotAsync, s =>
                s.Running("fresh").Count == 4 && s.Running("late").Count == 2
                && s.Tasks.All(t => t.State != "Running" || t.Node != Victim.Name || t.Job == "steady")
                && s.Node(Victim.Name) == "Down", TimeSpan.FromSeconds(120));
            Assert.Equal([0, 1, 2, 3], frozen.Running("fresh").Select(t => t.Slot).Order());
            Assert.Equal([0, 1], frozen.Running("late").Select(t => t.Slot).Order());
            // The scheduler did send replicas to the frozen node; their starts timed out and they moved on.
            var moved = frozen.Tasks.Where(t => t.Job == "fresh" && t.Node == Victim.Name).ToList();
            Assert.NotEmpty(moved);
            Assert.All(moved, t => Assert.Equal("Failed", t.State));
            Assert.All(frozen.Running("fresh").Concat(frozen.Running("late")), t => Assert.Equal(0, t.Restarts));
            output.WriteLine($"moved off the frozen engine: {string.Join("; ", moved.Select(t => $"{t.Id} ({t.Reason})"))}; node: {frozen.NodeReason(Victim.Name)}");
            // The replica already running there is left alone: its container still runs, only the engine hangs.
            Assert.Equal(steady.Select(t => t.Id).Order(), frozen.Running("steady").Select(t => t.Id).Order());
        }
        finally
        {
            await HostCommand.RunCheckedAsync("kill", "-CONT", pid.ToString(CultureInfo.InvariantCulture));
        }

        // Thawed, the engine may still carry out what it was asked while frozen; whatever it made must go again.
        var after = await Poll.WaitForAsync(SnapshotAsync, s =>
            s.Running("fresh").Count == 4 && s.Running("late").Count == 2 && s.Running("steady").Count == 3
            && s.Node(Victim.Name) == "Ready" && s.ContainersMatchTasks(), TimeSpan.FromSeconds(90));
        // Converged is not enough: it must stay so once the node has swept its engine a few times.
        await Task.Delay(TimeSpan.FromSeconds(8));
        after = await SnapshotAsync();
        AssertNoOrphans(after);
        Assert.Equal([0, 1, 2, 3], after.Running("fresh").Select(t => t.Slot).Order());
        Assert.Equal([0, 1], after.Running("late").Select(t => t.Slot).Order());
        Assert.Equal(steady.Select(t => t.Id).Order(), after.Running("steady").Select(t => t.Id).Order());
    }

    private static bool IsTerminal(string state) => state is "Completed" or "Failed";

    private static void AssertNoOrphans(Snapshot snapshot)
    {
        var tasks = snapshot.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        Assert.All(snapshot.Containers, c => Assert.True(tasks.ContainsKey(c.TaskId), $"container {c.Id} on {c.Engine} belongs to no task: {c.TaskId}"));
        Assert.All(snapshot.Containers.GroupBy(c => c.TaskId), g => Assert.True(g.Count() == 1, $"task {g.Key} has {g.Count()} containers"));
        Assert.Equal(
            snapshot.Tasks.Where(t => t.State == "Running").Select(t => t.Id).Order(),
            snapshot.Containers.Where(c => c.Running).Select(c => c.TaskId).Order());
        Assert.All(snapshot.Containers.Where(c => !c.Running), c => Assert.True(IsTerminal(tasks[c.TaskId].State), $"stopped container {c.Id} of {tasks[c.TaskId].State} task {c.TaskId}"));
        Assert.All(snapshot.Tasks.Where(t => t.State == "Running"), t => Assert.Equal(t.Node, snapshot.Containers.Single(c => c.TaskId == t.Id).Engine));
    }

    private int EventStreamLosses() =>
        Cluster.Silos[2].Log.Split('\n').Count(l => l.Contains("lost the engine's event stream", StringComparison.Ordinal));

    private string WriteJob(string name, int replicas, string restartPolicy)
    {
        var path = Path.Combine(_jobDir, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "image": "{{MainEngine.TestImage}}",
              "command": ["sleep", "3600"],
              "replicas": {{replicas}},
              "resources": { "cpu": 0.1, "memoryMb": 16 },
              "restart": { "policy": "{{restartPolicy}}", "maxRestarts": 5, "backoffSeconds": 1 }
            }
            """);
        return path;
    }

    private async Task RunAsync(string jobFile, bool wait)
    {
        string[] args = wait ? ["run", "-f", jobFile, "--wait", "--timeout", "90"] : ["run", "-f", jobFile];
        var run = await OrchProcess.RunAsync(args, Cluster.Silos.Select(s => s.GatewayPort).ToArray(), Cluster.ClusterId, wait ? TimeSpan.FromSeconds(120) : CliTimeout);
        Assert.True(run.ExitCode == 0, $"orch {string.Join(' ', args)} failed: {run}");
    }

    private async Task<ProcessResult> OrchAsync(params string[] args)
    {
        var result = await OrchProcess.RunAsync(args, Cluster.Silos.Select(s => s.GatewayPort).ToArray(), Cluster.ClusterId, CliTimeout);
        Assert.True(result.ExitCode == 0, $"orch {string.Join(' ', args)} failed: {result}");
        return result;
    }

    private async Task<List<TaskRow>> TasksAsync()
    {
        var ps = await OrchAsync("ps", "--all", "--json");
        return JsonDocument.Parse(ps.StdOut).RootElement.EnumerateArray().Select(t => new TaskRow(
            t.GetProperty("id").GetString()!,
            t.GetProperty("job").GetString()!,
            t.GetProperty("slot").GetInt32(),
            t.GetProperty("state").GetString()!,
            t.GetProperty("node").GetString(),
            t.GetProperty("restarts").GetInt32(),
            t.TryGetProperty("reason", out var reason) ? reason.GetString() : null)).ToList();
    }

    /// <summary>What <c>orch ps --all</c> and <c>orch nodes</c> say, and every container of this cluster on every engine.</summary>
    private async Task<Snapshot> SnapshotAsync()
    {
        var tasks = await TasksAsync();
        var nodes = JsonDocument.Parse((await OrchAsync("nodes", "--json")).StdOut).RootElement.EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => (n.GetProperty("status").GetString()!, n.TryGetProperty("statusReason", out var why) ? why.GetString() : null), StringComparer.Ordinal);
        var containers = new List<ContainerRow>();
        foreach (var engine in rig.Engines.Where(e => e != Victim || IsAnswering()))
        {
            var all = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster.ClusterId}"] = true } },
            });
            containers.AddRange(all.Select(c => new ContainerRow(engine.Name, c.ID[..12], c.Labels[ContainerLabels.Task], c.State == "running")));
        }
        return new Snapshot(tasks, nodes.ToDictionary(n => n.Key, n => n.Value.Item1, StringComparer.Ordinal), nodes.ToDictionary(n => n.Key, n => n.Value.Item2, StringComparer.Ordinal), containers);
    }

    // A frozen engine is not asked: the test's own calls would hang like the node's.
    private bool IsAnswering() =>
        Victim.ProcessId is { } pid && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('T');

    private sealed record TaskRow(string Id, string Job, int Slot, string State, string? Node, int Restarts, string? Reason);

    private sealed record ContainerRow(string Engine, string Id, string TaskId, bool Running);

    private sealed record Snapshot(List<TaskRow> Tasks, Dictionary<string, string> Nodes, Dictionary<string, string?> NodeReasons, List<ContainerRow> Containers)
    {
        public List<TaskRow> Running(string job) => Tasks.Where(t => t.Job == job && t.State == "Running").ToList();

        public TaskRow? Task(string id) => Tasks.SingleOrDefault(t => t.Id == id);

        public string? Node(string name) => Nodes.GetValueOrDefault(name);

        public string? NodeReason(string name) => NodeReasons.GetValueOrDefault(name);

        /// <summary>Running containers are exactly the Running tasks, each once.</summary>
        public bool ContainersMatchTasks() =>
            Tasks.Where(t => t.State == "Running").Select(t => t.Id).Order().SequenceEqual(Containers.Where(c => c.Running).Select(c => c.TaskId).Order())
            && Containers.All(c => c.Running || Tasks.Any(t => t.Id == c.TaskId && IsTerminal(t.State)));
    }
}
