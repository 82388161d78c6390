namespace Orchestrator.Silo.Dashboard;

/// <summary>What the orchestrator view shows, read from the grains at <see cref="Time"/>; the JSON of <c>GET /api/cluster</c>.</summary>
internal sealed record ClusterSnapshot(
    DateTimeOffset Time,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyList<JobView> Jobs,
    IReadOnlyList<TaskView> Tasks,
    IReadOnlyList<EventView> Events,
    int TasksNotShown);
