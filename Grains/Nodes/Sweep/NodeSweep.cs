using System.Globalization;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>
/// The node's reconcile, as a pure function: the engine's containers and the ledger in, what to change out.
/// Level-triggered: it derives everything from what is listed and stored now, so a lost report, a restart of
/// the silo or a crash in the middle of applying a plan only delays what the next sweep does again.
/// </summary>
public static class NodeSweep
{
    /// <summary>The engine's word for a container that was created and never started.</summary>
    private const string NeverStarted = "created";

    public static SweepPlan Compute(SweepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var remove = new List<(string, string)>();
        var stop = new List<(string, string)>();
        var record = new List<(string, string)>();
        var forget = new List<string>();
        var reports = new List<TaskReport>();
        var watch = new List<HealthWatch>();
        var unwatch = new List<string>();
        var displace = new List<string>();

        var byTask = input.Containers
            .Where(c => c.Labels.ContainsKey(ContainerLabels.Task))
            .GroupBy(c => c.Labels[ContainerLabels.Task], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var (taskId, found) in byTask)
        {
            if (!input.Busy.Contains(taskId) && !input.Ledger.ContainsKey(taskId))
            {
                // No task of this node claims it: a stray of a task that moved, ended or never was.
                remove.AddRange(found.Select(c => (taskId, c.Id)));
            }
        }

        foreach (var entry in input.Ledger.Values)
        {
            if (input.Busy.Contains(entry.TaskId))
            {
                continue;
            }
            var found = byTask.GetValueOrDefault(entry.TaskId) ?? [];
            // A container created but never started is what a start cut short leaves; it never ran.
            remove.AddRange(found.Where(IsNeverStarted).Select(c => (entry.TaskId, c.Id)));
            var started = found.Where(c => !IsNeverStarted(c)).ToList();
            var keep = Keep(entry, started);
            remove.AddRange(started.Where(c => c != keep).Select(c => (entry.TaskId, c.Id)));

            if (!entry.Active)
            {
                if (keep is null)
                {
                    forget.Add(entry.TaskId);
                }
                else if (keep.Running)
                {
                    stop.Add((entry.TaskId, keep.Id));
                }
                continue;
            }

            if (keep is not null && keep.Id != entry.ContainerId)
            {
                record.Add((entry.TaskId, keep.Id));
            }
            var observation = Observe(entry, keep, input.Unhealthy.GetValueOrDefault(entry.TaskId), input.Generation, input.Pulls.GetValueOrDefault(entry.TaskId));
            if (!input.Acknowledged.TryGetValue(entry.TaskId, out var acknowledged)
                || acknowledged != new ReportedState(observation.ContainerId, observation.Status))
            {
                reports.Add(new TaskReport(entry.TaskId, observation));
            }

            var watching = input.Watching.GetValueOrDefault(entry.TaskId);
            if (keep is not { Running: true })
            {
                if (watching is not null)
                {
                    unwatch.Add(entry.TaskId);
                }
            }
            else if (entry.Health is { } health && watching != keep.Id && input.Unhealthy.GetValueOrDefault(entry.TaskId) != keep.Id)
            {
                // Re-adopted after a restart of this silo (or the checks were lost): they resume.
                watch.Add(new HealthWatch(entry.TaskId, keep.Id, health, keep.Ports));
            }
            if (input.DrainDeadlinePassed)
            {
                displace.Add(entry.TaskId);
            }
        }

        return new SweepPlan
        {
            Remove = remove,
            Stop = stop,
            Record = record,
            Forget = forget,
            Reports = reports,
            Watch = watch,
            Unwatch = unwatch,
            Displace = displace,
        };
    }

    /// <summary>
    /// What the node tells the task of <paramref name="entry"/> whose (kept) container is <paramref name="container"/>.
    /// While the task waits for its image (<paramref name="pull"/>), nothing of it runs: an ended container is the one
    /// its restart replaces, and the task has acted on its end already.
    /// </summary>
    public static ContainerObservation Observe(LedgerEntry entry, ContainerDetails? container, string? unhealthyContainer, long generation, ImagePull? pull = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (pull is not null && container is not { Running: true })
        {
            return pull.Observe(generation);
        }
        if (container is null)
        {
            return entry.ContainerId is { } lost
                ? new ContainerObservation(lost, ContainerStatus.Missing, null, $"container {ShortId(lost)} disappeared", generation)
                : new ContainerObservation(null, ContainerStatus.Missing, null, "no container yet", generation);
        }
        if (unhealthyContainer == container.Id)
        {
            return new ContainerObservation(container.Id, ContainerStatus.Unhealthy, null, "health check failed", generation);
        }
        if (container.Running)
        {
            return new ContainerObservation(container.Id, ContainerStatus.Running, null, "container running", generation);
        }
        var code = container.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        var detail = container.OomKilled ? $"exited with code {code} (out of memory)" : $"exited with code {code}";
        return new ContainerObservation(container.Id, ContainerStatus.Exited, container.ExitCode, detail, generation);
    }

    /// <summary>The container a task's entry stands for: the one recorded, else a running one, else the newest.</summary>
    public static ContainerDetails? Keep(LedgerEntry entry, IReadOnlyCollection<ContainerDetails> started)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(started);
        return started.FirstOrDefault(c => c.Id == entry.ContainerId)
            ?? started.OrderByDescending(c => c.Running).ThenByDescending(c => c.StartedAt).FirstOrDefault();
    }

    /// <summary>The engine's short form of a container id.</summary>
    public static string ShortId(string containerId)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        return containerId[..Math.Min(12, containerId.Length)];
    }

    /// <summary>Whether the engine reports <paramref name="container"/> as created and never started.</summary>
    public static bool IsNeverStarted(ContainerDetails container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.State == NeverStarted;
    }
}
