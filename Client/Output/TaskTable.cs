using System.Globalization;
using Orchestrator.Abstractions.Tasks;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch ps</c> table.</summary>
internal static class TaskTable
{
    public static Table Render(IEnumerable<TaskSummary> tasks, DateTimeOffset now)
    {
        var table = Tables.Create("ID", "JOB", "VERSION", "NODE", "STATE", "HEALTH", "RESTARTS", "PORTS", "AGE", "REASON");
        foreach (var task in tasks)
        {
            table.AddTextRow(
                task.Id,
                task.Job,
                task.Version.ToString(CultureInfo.InvariantCulture),
                task.Node ?? "-",
                task.State.ToString(),
                task.Health?.ToString() ?? "-",
                task.Restarts.ToString(CultureInfo.InvariantCulture),
                Ports(task.Ports),
                Ages.Since(task.CreatedAt, now),
                task.Reason ?? "");
        }
        return table;
    }

    /// <summary>Published ports as <c>32768-&gt;8080</c>, comma-separated.</summary>
    public static string Ports(IReadOnlyList<PortBinding> ports) =>
        ports.Count == 0 ? "" : string.Join(",", ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Host}->{p.Container}")));
}
