using System.Globalization;
using Orchestrator.Client.Commands;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The live table <c>orch run --wait</c> redraws on a terminal: one row per replica.</summary>
internal static class WaitProgressTable
{
    public static Table Render(WaitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var table = Tables.Create("REPLICA", "TASK", "VERSION", "NODE", "STATE", "HEALTH", "PORTS", "REASON");
        foreach (var task in snapshot.LiveTasks)
        {
            table.AddTextRow(
                task.Slot.ToString(CultureInfo.InvariantCulture),
                task.Id,
                task.Version.ToString(CultureInfo.InvariantCulture),
                task.Node ?? "-",
                task.State.ToString(),
                task.Health?.Status.ToString() ?? "-",
                TaskTable.Ports(task.Ports),
                task.Reason ?? "");
        }
        table.Caption(new TableTitle(Summary(snapshot)));
        return table;
    }

    public static string Summary(WaitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.RolloutVersion is { } version)
        {
            var progress = snapshot.Rollout;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"job {snapshot.Job.Name}: version {version} {snapshot.Version?.Status.ToString().ToLowerInvariant() ?? "gone"}: {progress?.Replaced ?? 0}/{snapshot.Replicas} replaced, {progress?.Healthy ?? 0} healthy, {progress?.Remaining ?? snapshot.Replicas} remaining ({snapshot.Elapsed.TotalSeconds:0} s)");
        }
        if (snapshot.IsBatch)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"job {snapshot.Job.Name}: {snapshot.Completed}/{snapshot.Replicas} completed, {snapshot.Running} running ({snapshot.Elapsed.TotalSeconds:0} s)");
        }
        return string.Create(
            CultureInfo.InvariantCulture,
            $"job {snapshot.Job.Name}: {snapshot.Running}/{snapshot.Replicas} running ({snapshot.Elapsed.TotalSeconds:0} s)");
    }
}
