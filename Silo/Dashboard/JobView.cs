namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// One job as the view shows it: what is wanted and how many of its replicas run; a batch job that is not stopped shows
/// its outcome as its status (Running, Succeeded or Failed) and how many replicas completed.
/// </summary>
internal sealed record JobView(
    string Name,
    string Status,
    string Image,
    int Replicas,
    int Live,
    int Running,
    string? Scheduler,
    DateTimeOffset UpdatedAt,
    string Type,
    int Completed);
