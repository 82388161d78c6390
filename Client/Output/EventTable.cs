using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch events</c> table, oldest first.</summary>
internal static class EventTable
{
    public static Table Render(IEnumerable<EventRow> events)
    {
        var table = Tables.Create("TIME (UTC)", "TASK", "JOB", "FROM", "TO", "REASON");
        foreach (var e in events)
        {
            table.AddTextRow(Ages.Utc(e.Time), e.Task, e.Job, e.From?.ToString() ?? "-", e.To.ToString(), e.Reason);
        }
        return table;
    }

    /// <summary>One line for a followed event stream, where a table cannot grow.</summary>
    public static string Line(EventRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return $"{Ages.Utc(row.Time)}  {row.Task}  {row.From?.ToString() ?? "-"} -> {row.To}  {row.Reason}";
    }
}
