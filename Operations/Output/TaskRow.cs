using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Operations.Output;

/// <summary>One task as <c>orch ps --json</c> prints it (docs/CONTRACT.md, Output shapes) and the orchestrator view shows it, with a few extra fields.</summary>
public sealed record TaskRow(
    string Id,
    string Job,
    string? Node,
    TaskState State,
    string? ContainerId,
    int Restarts,
    IReadOnlyList<PortRow> Ports,
    int Slot,
    DateTimeOffset CreatedAt,
    string? Reason,
    int Version,
    HealthStatus Health)
{
    public static TaskRow From(TaskSummary task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskRow(
            task.Id,
            task.Job,
            task.Node,
            task.State,
            task.ContainerId,
            task.Restarts,
            [.. task.Ports.Select(p => new PortRow(p.Container, p.Host))],
            task.Slot,
            task.CreatedAt,
            task.Reason,
            task.Version,
            task.Health ?? HealthStatus.Unknown);
    }

    public static TaskRow From(TaskInfo task) => From(TaskSummary.Of(task));
}
