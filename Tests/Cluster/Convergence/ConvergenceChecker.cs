using System.Globalization;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// The convergence property as pure functions over snapshots: what must hold once every fault is healed and the
/// cluster had its time to settle. Each function returns the violations it finds, none when the property holds.
/// </summary>
/// <remarks>
/// Crashing and one-shot containers exit on their own, and a node reports an exit a sweep later at most: a Running
/// task of theirs may briefly have no running container, which is not counted. A service task must always have one.
/// </remarks>
public static class ConvergenceChecker
{
    /// <summary><c>orch nodes</c> rounds allocated CPU to 6 digits.</summary>
    private const double CpuTolerance = 1e-4;

    /// <summary>Everything that must hold at one moment once converged.</summary>
    public static IReadOnlyList<Violation> Check(ClusterSnapshot snapshot, IReadOnlyList<WorkloadJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(jobs);
        return [.. Replicas(snapshot, jobs), .. Containers(snapshot, jobs), .. Ledgers(snapshot, jobs), .. Overcommit(snapshot.Nodes), .. NodesReady(snapshot.Nodes)];
    }

    /// <summary>Every active service job has exactly its replicas Running, one per slot; no slot has two live tasks; stopped jobs have none.</summary>
    public static IEnumerable<Violation> Replicas(ClusterSnapshot snapshot, IReadOnlyList<WorkloadJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            var live = snapshot.Tasks.Where(t => t.Job == job.Name && t.IsLive).ToList();
            if (job.Stopped)
            {
                if (live.Count > 0)
                {
                    yield return new Violation($"job {job.Name} replicas", $"stopped, yet {Describe(live)}");
                }
                continue;
            }
            if (job.Kind == JobKind.Service)
            {
                var running = live.Where(t => t.State == "Running").Select(t => t.Slot).Order().ToList();
                if (live.Count != running.Count || !running.SequenceEqual(Enumerable.Range(0, job.Replicas)))
                {
                    yield return new Violation($"job {job.Name} replicas", $"{running.Count} of {job.Replicas} Running: {Describe(live)}");
                }
                continue;
            }
            foreach (var slot in live.GroupBy(t => t.Slot).Where(g => g.Count() > 1 || g.Key >= job.Replicas))
            {
                yield return new Violation($"job {job.Name} slot {slot.Key}", $"{slot.Count()} live tasks with {job.Replicas} replicas: {Describe(slot)}");
            }
        }
    }

    /// <summary>
    /// Every Running service task has exactly one running container, and every live task at most one; each on the
    /// task's own node (engine and label); no container runs without a live task.
    /// </summary>
    public static IEnumerable<Violation> Containers(ClusterSnapshot snapshot, IReadOnlyList<WorkloadJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(jobs);
        var kinds = jobs.ToDictionary(j => j.Name, j => j.Kind, StringComparer.Ordinal);
        var tasks = snapshot.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var running = snapshot.Containers.Where(c => c.Running).ToLookup(c => c.TaskId, StringComparer.Ordinal);
        foreach (var task in snapshot.Tasks.Where(t => t.IsLive))
        {
            var mine = running[task.Id].ToList();
            var mustRun = task.State == "Running" && kinds.GetValueOrDefault(task.Job, JobKind.Service) == JobKind.Service;
            if (mine.Count > 1 || (mustRun && mine.Count == 0))
            {
                yield return new Violation($"task {task.Id} containers", $"{task.State} on {task.Node} with {mine.Count} running containers{DescribeContainers(mine)}");
            }
            foreach (var container in mine.Where(c => c.Engine != task.Node || c.NodeLabel != task.Node))
            {
                yield return new Violation($"task {task.Id} placement", $"{task.State} on {task.Node}, its container {container.Id} runs on {container.Engine} labelled {container.NodeLabel}");
            }
        }
        foreach (var container in snapshot.Containers.Where(c => c.Running))
        {
            if (!tasks.TryGetValue(container.TaskId, out var task))
            {
                yield return new Violation($"container {container.Id} on {container.Engine}", $"runs for task {container.TaskId}, which orch does not know");
            }
            else if (!task.IsLive)
            {
                yield return new Violation($"container {container.Id} on {container.Engine}", $"runs for task {task.Id}, which is {task.State} ({task.Reason})");
            }
        }
    }

    /// <summary>Every node's ledger (allocation and task count) equals the reservations of the live tasks placed on it.</summary>
    public static IEnumerable<Violation> Ledgers(ClusterSnapshot snapshot, IReadOnlyList<WorkloadJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(jobs);
        var specs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var node in snapshot.Nodes)
        {
            var live = snapshot.Tasks.Where(t => t.IsLive && t.Node == node.Name).ToList();
            var unknown = live.Where(t => !specs.ContainsKey(t.Job)).Select(t => t.Id).ToList();
            if (unknown.Count > 0)
            {
                yield return new Violation($"node {node.Name} ledger", $"live tasks of jobs the workload never submitted: {string.Join(", ", unknown)}");
                continue;
            }
            var cpu = live.Sum(t => specs[t.Job].Cpu);
            var memory = live.Sum(t => specs[t.Job].MemoryMb);
            if (Math.Abs(cpu - node.AllocatedCpu) > CpuTolerance || memory != node.AllocatedMemoryMb || live.Count != node.Tasks)
            {
                yield return new Violation($"node {node.Name} ledger", string.Create(CultureInfo.InvariantCulture,
                    $"allocates {node.AllocatedCpu:0.###} CPU, {node.AllocatedMemoryMb} MB for {node.Tasks} tasks; its {live.Count} live tasks reserve {cpu:0.###} CPU, {memory} MB"));
            }
        }
    }

    /// <summary>No node has more allocated than its capacity; holds at every moment, faults or not.</summary>
    public static IEnumerable<Violation> Overcommit(IReadOnlyList<NodeView> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes
            .Where(n => n.AllocatedCpu > n.Cpus + CpuTolerance || n.AllocatedMemoryMb > n.MemoryMb)
            .Select(n => new Violation($"node {n.Name} overcommitted", string.Create(CultureInfo.InvariantCulture,
                $"{n.AllocatedCpu:0.###} of {n.Cpus:0.###} CPU, {n.AllocatedMemoryMb} of {n.MemoryMb} MB")));
    }

    /// <summary>Once healed, every node's silo and engine are back, so every node reads Ready.</summary>
    public static IEnumerable<Violation> NodesReady(IReadOnlyList<NodeView> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes.Where(n => n.Status != "Ready").Select(n => new Violation($"node {n.Name} status", n.Status));
    }

    /// <summary>
    /// One-shot tasks: none exits 0 twice or starts more often than its restarts allow (it never ran twice), and
    /// one whose container exited 0 is no longer live (it reads its end).
    /// </summary>
    public static IEnumerable<Violation> OneShots(ClusterSnapshot snapshot, IReadOnlyList<ContainerRun> runs, IReadOnlyList<WorkloadJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(jobs);
        var oneShots = jobs.Where(j => j.Kind == JobKind.OneShot).Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var byTask = runs.ToLookup(r => r.TaskId, StringComparer.Ordinal);
        foreach (var task in snapshot.Tasks.Where(t => oneShots.Contains(t.Job)))
        {
            var mine = byTask[task.Id].ToList();
            var successes = mine.Sum(r => r.ExitCodes.Count(c => c == 0));
            var starts = mine.Sum(r => r.Starts);
            if (successes > 1)
            {
                yield return new Violation($"one-shot task {task.Id} ran twice", $"exited 0 {successes} times{DescribeRuns(mine)}");
            }
            if (starts > task.Restarts + 1)
            {
                yield return new Violation($"one-shot task {task.Id} started too often", $"{starts} starts with {task.Restarts} restarts{DescribeRuns(mine)}");
            }
            if (successes > 0 && task.IsLive)
            {
                yield return new Violation($"one-shot task {task.Id} end", $"its container exited 0, yet it reads {task.State}{DescribeRuns(mine)}");
            }
        }
    }

    /// <summary>
    /// Containers running before every silo was restarted at once are the same after: each task of
    /// <paramref name="before"/> (task id → container id) is still Running on the same container.
    /// </summary>
    public static IEnumerable<Violation> ContainersKept(IReadOnlyDictionary<string, string> before, ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(snapshot);
        var tasks = snapshot.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var (taskId, container) in before)
        {
            if (!tasks.TryGetValue(taskId, out var task))
            {
                yield return new Violation($"task {taskId} kept", "Running before every silo restarted, unknown after");
            }
            else if (task.State != "Running")
            {
                yield return new Violation($"task {taskId} kept", $"Running before every silo restarted, {task.State} after ({task.Reason})");
            }
            else if (!SameContainer(task.ContainerId, container))
            {
                yield return new Violation($"task {taskId} kept", $"ran container {Short(container)} before every silo restarted and {Short(task.ContainerId)} after");
            }
        }
    }

    /// <summary>Violations of <paramref name="later"/> whose subject <paramref name="earlier"/> had too: what stayed wrong, not what was passing by.</summary>
    public static IReadOnlyList<Violation> Persisting(IReadOnlyList<Violation> earlier, IReadOnlyList<Violation> later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var subjects = earlier.Select(v => v.Subject).ToHashSet(StringComparer.Ordinal);
        return [.. later.Where(v => subjects.Contains(v.Subject))];
    }

    private static bool SameContainer(string? a, string b) =>
        a is not null && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal));

    private static string Short(string? id) => id is null ? "none" : id[..Math.Min(12, id.Length)];

    private static string Describe(IEnumerable<TaskView> tasks)
    {
        var list = tasks.OrderBy(t => t.Slot).Select(t => $"{t.Id} slot {t.Slot} {t.State} on {t.Node}").ToList();
        return list.Count == 0 ? "no live tasks" : string.Join("; ", list);
    }

    private static string DescribeContainers(List<ContainerView> containers) =>
        containers.Count == 0 ? "" : ": " + string.Join(", ", containers.Select(c => $"{Short(c.Id)} on {c.Engine}"));

    private static string DescribeRuns(List<ContainerRun> runs) =>
        runs.Count == 0 ? "" : ": " + string.Join(", ", runs.Select(r => $"{Short(r.ContainerId)} on {r.Engine} started {r.Starts}× exits [{string.Join(",", r.ExitCodes)}]"));
}
