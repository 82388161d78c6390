using System.Globalization;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Commands;

namespace Orchestrator.Client.Output;

/// <summary>
/// <c>orch run --wait</c> progress for pipes and files: a line whenever a replica's task or state
/// changes, and one when the running count (during a rollout: replaced, healthy, remaining) does.
/// </summary>
internal sealed class PlainProgress(TextWriter writer)
{
    private readonly Dictionary<string, TaskState> _seen = new(StringComparer.Ordinal);
    private string? _lastSummary;

    public void Report(WaitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var task in snapshot.LiveTasks)
        {
            if (_seen.TryGetValue(task.Id, out var state) && state == task.State)
            {
                continue;
            }
            _seen[task.Id] = task.State;
            var node = task.Node is null ? "" : $" on {task.Node}";
            var reason = string.IsNullOrEmpty(task.Reason) ? "" : $" ({task.Reason})";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica {task.Slot}: {task.Id} {task.State}{node}{reason}"));
        }
        var summary = WaitProgressTable.Summary(snapshot);
        // The summary without its clock: a line when the count or the rollout's progress changes, not every second.
        var shown = summary[..summary.LastIndexOf(" (", StringComparison.Ordinal)];
        if (shown != _lastSummary)
        {
            _lastSummary = shown;
            writer.WriteLine(summary);
        }
    }
}
