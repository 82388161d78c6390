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
        var table = Tables.Create("REPLICA", "TASK", "NODE", "STATE", "PORTS", "REASON");
        foreach (var task in snapshot.LiveTasks)
        {
            table.AddTextRow(
                task.Slot.ToString(CultureInfo.InvariantCulture),
                task.Id,
                task.Node ?? "-",
                task.State.ToString(),
                TaskTable.Ports(task.Ports),
                task.Reason ?? "");
        }
        table.Caption(new TableTitle(Summary(snapshot)));
        return table;
    }

    public static string Summary(WaitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"job {snapshot.Job.Name}: {snapshot.Running}/{snapshot.Replicas} running ({snapshot.Elapsed.TotalSeconds:0} s)");
    }
}
