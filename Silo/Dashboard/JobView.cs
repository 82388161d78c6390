namespace Orchestrator.Silo.Dashboard;

/// <summary>One job as the view shows it: what is wanted and how many of its replicas run.</summary>
internal sealed record JobView(
    string Name,
    string Status,
    string Image,
    int Replicas,
    int Live,
    int Running,
    string? Scheduler,
    DateTimeOffset UpdatedAt);
