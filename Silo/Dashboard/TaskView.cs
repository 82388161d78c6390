using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Silo.Dashboard;

/// <summary>One task as the view shows it, the columns of <c>orch ps</c> and its latest reason.</summary>
internal sealed record TaskView(
    string Id,
    string Job,
    int Slot,
    string State,
    string? Node,
    string? ContainerId,
    int Restarts,
    IReadOnlyList<PortBinding> Ports,
    string? Reason,
    DateTimeOffset CreatedAt)
{
    public static TaskView From(TaskInfo task) => new(
        task.Id, task.Job, task.Slot, task.State.ToString(), task.Node, task.ContainerId, task.Restarts,
        task.Ports, task.Reason, task.CreatedAt);
}
