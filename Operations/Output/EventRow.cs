using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Operations.Output;

/// <summary>
/// One task event as <c>orch events --json</c> prints it, <c>GET /v1/events</c> answers it and the orchestrator view
/// shows it; <c>from</c> is null at creation.
/// </summary>
public sealed record EventRow(DateTimeOffset Time, string Task, string Job, TaskState? From, TaskState To, string Reason)
{
    /// <summary>Every event of these tasks, oldest first; events of one task at the same instant keep their order.</summary>
    public static IReadOnlyList<EventRow> Of(IEnumerable<TaskSummary> tasks) =>
        [.. tasks
            .SelectMany(t => t.Events.Select((e, i) => (Row: new EventRow(e.Time, t.Id, t.Job, e.From, e.To, e.Reason), Index: i)))
            .OrderBy(x => x.Row.Time)
            .ThenBy(x => x.Row.Task, StringComparer.Ordinal)
            .ThenBy(x => x.Index)
            .Select(x => x.Row)];
}
