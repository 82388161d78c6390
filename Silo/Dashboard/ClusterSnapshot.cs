using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// What the orchestrator view shows, read from the grains at <see cref="Time"/>; the JSON of <c>GET /api/cluster</c>.
/// Its rows are those of <c>orch --json</c> and the API: a node as <c>orch nodes</c>, a job as <c>GET /v1/jobs</c>, a task as
/// <c>orch ps</c> and an event as <c>orch events</c> show them.
/// </summary>
internal sealed record ClusterSnapshot(
    DateTimeOffset Time,
    IReadOnlyList<NodeRow> Nodes,
    IReadOnlyList<JobSummary> Jobs,
    IReadOnlyList<TaskRow> Tasks,
    IReadOnlyList<EventRow> Events,
    int TasksNotShown);
