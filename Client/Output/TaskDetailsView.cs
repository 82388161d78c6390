using System.Globalization;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary><c>orch inspect TASK</c>: the task, its spec, its events and why it was placed where it is.</summary>
internal static class TaskDetailsView
{
    public static void Write(IAnsiConsole console, TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(task);
        var grid = new DetailGrid()
            .Add("Task", task.Id)
            .Add("Job", string.Create(CultureInfo.InvariantCulture, $"{task.Job} (replica {task.Slot})"))
            .Add("State", task.Reason is { Length: > 0 } reason ? $"{task.State} ({reason})" : task.State.ToString())
            .Add("Node", task.Node)
            .Add("Container", task.ContainerId)
            .Add("Ports", TaskTable.Ports(task.Ports))
            .Add("Restarts", task.Restarts.ToString(CultureInfo.InvariantCulture))
            .Add("Last exit code", task.LastExitCode?.ToString(CultureInfo.InvariantCulture))
            .Add("Health", Health(task))
            .Add("Created", Ages.Utc(task.CreatedAt));
        if (task.Spec is { } spec)
        {
            SpecSummary.AddTo(grid, spec);
        }
        grid.WriteTo(console);

        console.WriteLine();
        console.Write(new Text("Events", new Style(decoration: Decoration.Bold)));
        console.WriteLine();
        var events = Tables.Create("TIME (UTC)", "FROM", "TO", "REASON");
        foreach (var e in task.Events)
        {
            events.AddTextRow(Ages.Utc(e.Time), e.From?.ToString() ?? "-", e.To.ToString(), e.Reason);
        }
        console.Write(events);

        if (task.Placement is { } placement)
        {
            console.WriteLine();
            WritePlacement(console, placement);
        }
    }

    private static string? Health(TaskInfo task) => task.Health switch
    {
        null when task.Spec?.Health is not null => HealthStatus.Unknown.ToString(),
        null => null,
        { ConsecutiveFailures: > 0 } h => string.Create(CultureInfo.InvariantCulture, $"{h.Status} ({h.ConsecutiveFailures} failed in a row, last: {h.LastFailure})"),
        { LastFailure: { } last } h => $"{h.Status} (last failure: {last})",
        var h => h.Status.ToString(),
    };

    private static void WritePlacement(IAnsiConsole console, PlacementExplanation placement)
    {
        console.Write(new Text("Placement", new Style(decoration: Decoration.Bold)));
        console.WriteLine();
        var grid = new DetailGrid()
            .Add("Scheduler", placement.Scheduler)
            .Add("Summary", placement.Summary())
            .Add("Chosen node", placement.ChosenNode);
        if (placement.FeasibleNodes is not null || placement.RejectionCounts is not null)
        {
            // The task kept the best few of a large cluster's candidates and rejections; the summary has the totals.
            grid.Add("Shown", string.Create(CultureInfo.InvariantCulture, $"the best {placement.Candidates.Count} candidates and {placement.Rejections.Count} rejections"));
        }
        grid.WriteTo(console);
        if (placement.Candidates.Count > 0)
        {
            var candidates = Tables.Create("CANDIDATE", "SCORE", "PARTS");
            foreach (var c in placement.Candidates)
            {
                candidates.AddTextRow(
                    c.Node,
                    c.Score.ToString("0.####", CultureInfo.InvariantCulture),
                    string.Join(", ", c.Parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:0.####}"))));
            }
            console.Write(candidates);
        }
        if (placement.Rejections.Count > 0)
        {
            var rejections = Tables.Create("REJECTED", "REASON");
            foreach (var r in placement.Rejections)
            {
                rejections.AddTextRow(r.Node, r.Detail);
            }
            console.Write(rejections);
        }
    }
}
