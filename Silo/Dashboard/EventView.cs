namespace Orchestrator.Silo.Dashboard;

/// <summary>One task transition, the fields of <c>orch events --json</c>.</summary>
internal sealed record EventView(DateTimeOffset Time, string Task, string Job, string? From, string To, string Reason);
