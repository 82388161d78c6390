using Xunit;

namespace Orchestrator.Tests.Cluster.Convergence;

public sealed class ConvergenceCheckerTests
{
    private static readonly WorkloadJob[] Jobs =
    [
        new("web", JobKind.Service, 2, 0.1, 16),
        new("crash", JobKind.Crashing, 1, 0.2, 32),
        new("once", JobKind.OneShot, 1, 0.05, 8),
        new("gone", JobKind.Service, 1, 0.1, 16, Stopped: true),
    ];

    /// <summary>A converged cluster: web's two replicas run on node-1 and node-2, crash is between two runs, once has completed.</summary>
    private static readonly ClusterSnapshot Converged = new(
        [
            new("web-0-a", "web", 0, "Running", "node-1", "c-web0", 0, null),
            new("web-1-b", "web", 1, "Running", "node-2", "c-web1", 0, null),
            new("crash-0-c", "crash", 0, "Scheduled", "node-2", "c-crash", 3, "exited with code 3; restart 4 of 100 in 8s"),
            new("once-0-d", "once", 0, "Completed", "node-1", "c-once", 0, "exited with code 0"),
            new("gone-0-e", "gone", 0, "Completed", "node-3", null, 0, "stopped"),
        ],
        [
            new("node-1", "c-web0", "web-0-a", "node-1", true),
            new("node-2", "c-web1", "web-1-b", "node-2", true),
            new("node-2", "c-crash", "crash-0-c", "node-2", false),
            new("node-1", "c-once", "once-0-d", "node-1", false),
        ],
        [
            new("node-1", "Ready", 2, 1000, 0.1, 16, 1),
            new("node-2", "Ready", 2, 1000, 0.3, 48, 2),
            new("node-3", "Ready", 2, 1000, 0, 0, 0),
        ]);

    public static TheoryData<string, string?> Cases => new()
    {
        { "converged", null },
        { "a service replica missing", "job web replicas" },
        { "a service replica Scheduled", "job web replicas" },
        { "a crashing slot with two live tasks", "job crash slot 0" },
        { "a stopped job with a live task", "job gone replicas" },
        { "a Running service task without a container", "task web-0-a containers" },
        { "a Running crashing task whose container just exited", null },
        { "a task with two running containers", "task web-1-b containers" },
        { "a container on another node than its task", "task web-0-a placement" },
        { "a container labelled for another node", "task web-0-a placement" },
        { "a container of an ended task", "container c-once on node-1" },
        { "a container of an unknown task", "container c-x on node-3" },
        { "a ledger holding an ended task", "node node-1 ledger" },
        { "a ledger missing a live task", "node node-2 ledger" },
        { "a node overcommitted", "node node-2 overcommitted" },
        { "a node Down", "node node-3 status" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_checker_finds_exactly_the_broken_invariant(string situation, string? expected)
    {
        var violations = ConvergenceChecker.Check(Make(situation), Jobs);
        if (expected is null)
        {
            Assert.Empty(violations);
        }
        else
        {
            Assert.Contains(violations, v => v.Subject == expected);
        }
    }

    public static TheoryData<string, int[], int, string?> OneShotCases => new()
    {
        { "completed once", [0], 0, null },
        { "killed, restarted on failure, completed", [137, 0], 1, null },
        { "ran twice", [0, 0], 1, "one-shot task once-0-d ran twice" },
        { "started again without a restart", [137, 0], 0, "one-shot task once-0-d started too often" },
    };

    [Theory]
    [MemberData(nameof(OneShotCases))]
    public void One_shot_runs_are_counted_from_the_engines_events(string situation, int[] exits, int restarts, string? expected)
    {
        var snapshot = Converged with { Tasks = [.. Converged.Tasks.Select(t => t.Id == "once-0-d" ? t with { Restarts = restarts } : t)] };
        var runs = exits.Select((code, i) => new ContainerRun("node-1", $"c-once-{i}", "once-0-d", 1, [code])).ToList();
        var violations = ConvergenceChecker.OneShots(snapshot, runs, Jobs).ToList();
        Assert.True(expected is null ? violations.Count == 0 : violations.Any(v => v.Subject == expected), $"{situation}: {string.Join("; ", violations)}");
    }

    [Fact]
    public void A_one_shot_task_whose_container_exited_0_must_not_read_live()
    {
        var snapshot = Converged with { Tasks = [.. Converged.Tasks.Select(t => t.Id == "once-0-d" ? t with { State = "Running" } : t)] };
        var violations = ConvergenceChecker.OneShots(snapshot, [new ContainerRun("node-1", "c-once", "once-0-d", 1, [0])], Jobs);
        Assert.Contains(violations, v => v.Subject == "one-shot task once-0-d end");
    }

    [Theory]
    [InlineData("c-web0", null)]
    [InlineData("c-web0-full-id", null)]
    [InlineData("c-other", "task web-0-a kept")]
    public void Containers_before_a_restart_of_every_silo_are_the_same_after(string before, string? expected)
    {
        var snapshot = Converged with { Tasks = [.. Converged.Tasks.Select(t => t.Id == "web-0-a" ? t with { ContainerId = "c-web0-full-id" } : t)] };
        var violations = ConvergenceChecker.ContainersKept(new Dictionary<string, string> { ["web-0-a"] = before }, snapshot).ToList();
        Assert.Equal(expected, violations.SingleOrDefault()?.Subject);
    }

    [Fact]
    public void A_task_gone_or_ended_after_the_restart_of_every_silo_was_not_kept()
    {
        var before = new Dictionary<string, string> { ["web-0-a"] = "c-web0", ["lost-0-z"] = "c-lost" };
        var snapshot = Converged with { Tasks = [.. Converged.Tasks.Select(t => t.Id == "web-0-a" ? t with { State = "Failed", Reason = "node lost" } : t)] };
        Assert.Equal(["task lost-0-z kept", "task web-0-a kept"], ConvergenceChecker.ContainersKept(before, snapshot).Select(v => v.Subject).Order());
    }

    [Fact]
    public void Only_violations_seen_in_both_snapshots_persist()
    {
        Violation[] earlier = [new("node node-1 ledger", "0.1 vs 0.2"), new("task a containers", "none")];
        Violation[] later = [new("node node-1 ledger", "0.1 vs 0.3"), new("task b containers", "none")];
        Assert.Equal([later[0]], ConvergenceChecker.Persisting(earlier, later));
    }

    private static ClusterSnapshot Make(string situation)
    {
        var s = Converged;
        return situation switch
        {
            "converged" => s,
            "a service replica missing" => Without(s, "web-1-b") with { Containers = [.. s.Containers.Where(c => c.TaskId != "web-1-b")], Nodes = Node(s, "node-2", 0.2, 32, 1) },
            "a service replica Scheduled" => Task(s, "web-1-b", t => t with { State = "Scheduled" }),
            "a crashing slot with two live tasks" => s with { Tasks = [.. s.Tasks, new("crash-0-f", "crash", 0, "Running", "node-3", "c-crash2", 0, null)], Containers = [.. s.Containers, new("node-3", "c-crash2", "crash-0-f", "node-3", true)], Nodes = Node(s, "node-3", 0.2, 32, 1) },
            "a stopped job with a live task" => Task(s, "gone-0-e", t => t with { State = "Running" }) with { Containers = [.. s.Containers, new("node-3", "c-gone", "gone-0-e", "node-3", true)], Nodes = Node(s, "node-3", 0.1, 16, 1) },
            "a Running service task without a container" => s with { Containers = [.. s.Containers.Where(c => c.Id != "c-web0")] },
            "a Running crashing task whose container just exited" => Task(s, "crash-0-c", t => t with { State = "Running" }),
            "a task with two running containers" => s with { Containers = [.. s.Containers, new("node-2", "c-web1b", "web-1-b", "node-2", true)] },
            "a container on another node than its task" => s with { Containers = [.. s.Containers.Select(c => c.Id == "c-web0" ? c with { Engine = "node-3" } : c)] },
            "a container labelled for another node" => s with { Containers = [.. s.Containers.Select(c => c.Id == "c-web0" ? c with { NodeLabel = "node-3" } : c)] },
            "a container of an ended task" => s with { Containers = [.. s.Containers.Select(c => c.Id == "c-once" ? c with { Running = true } : c)] },
            "a container of an unknown task" => s with { Containers = [.. s.Containers, new("node-3", "c-x", "x-0-z", "node-3", true)] },
            "a ledger holding an ended task" => s with { Nodes = Node(s, "node-1", 0.15, 24, 2) },
            "a ledger missing a live task" => s with { Nodes = Node(s, "node-2", 0.1, 16, 1) },
            "a node overcommitted" => s with { Nodes = [.. s.Nodes.Select(n => n.Name == "node-2" ? n with { Cpus = 0.25 } : n)] },
            "a node Down" => s with { Nodes = [.. s.Nodes.Select(n => n.Name == "node-3" ? n with { Status = "Down" } : n)] },
            _ => throw new ArgumentOutOfRangeException(nameof(situation), situation, "no such case"),
        };
    }

    private static ClusterSnapshot Without(ClusterSnapshot s, string taskId) => s with { Tasks = [.. s.Tasks.Where(t => t.Id != taskId)] };

    private static ClusterSnapshot Task(ClusterSnapshot s, string taskId, Func<TaskView, TaskView> change) =>
        s with { Tasks = [.. s.Tasks.Select(t => t.Id == taskId ? change(t) : t)] };

    private static NodeView[] Node(ClusterSnapshot s, string name, double cpu, long memory, int tasks) =>
        [.. s.Nodes.Select(n => n.Name == name ? n with { AllocatedCpu = cpu, AllocatedMemoryMb = memory, Tasks = tasks } : n)];
}
