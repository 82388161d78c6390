namespace Orchestrator.Abstractions.Jobs;

/// <summary>Where a batch job stands: its replicas still run (or wait), every one ended Completed, or one ended Failed for good.</summary>
public enum BatchStatus
{
    Running,
    Succeeded,
    Failed,
}
