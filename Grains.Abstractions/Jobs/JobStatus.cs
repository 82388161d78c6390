namespace Orchestrator.Abstractions.Jobs;

/// <summary>Whether a job is wanted (Active) or was stopped by its user.</summary>
public enum JobStatus
{
    Active,
    Stopped,
}
