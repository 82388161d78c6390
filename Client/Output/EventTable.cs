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
}
