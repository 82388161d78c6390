using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Client.Output;

/// <summary>One task event as <c>orch events --json</c> prints it (the orch command line, README); <c>from</c> is null at creation.</summary>
internal sealed record EventRow(DateTimeOffset Time, string Task, string Job, TaskState? From, TaskState To, string Reason)
{
    /// <summary>Every event of these tasks, oldest first; events of one task at the same instant keep their order.</summary>
    public static IReadOnlyList<EventRow> Of(IEnumerable<TaskInfo> tasks) =>
        [.. tasks
            .SelectMany(t => t.Events.Select((e, i) => (Row: new EventRow(e.Time, t.Id, t.Job, e.From, e.To, e.Reason), Index: i)))
            .OrderBy(x => x.Row.Time)
            .ThenBy(x => x.Row.Task, StringComparer.Ordinal)
            .ThenBy(x => x.Index)
            .Select(x => x.Row)];

    /// <summary>One line for a followed event stream, where a table cannot grow.</summary>
    public string ToLine() =>
        $"{Ages.Utc(Time)}  {Task}  {From?.ToString() ?? "-"} -> {To}  {Reason}";
}
