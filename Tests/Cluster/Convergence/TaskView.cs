namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>One task as <c>orch ps --all --json</c> shows it.</summary>
public sealed record TaskView(string Id, string Job, int Slot, string State, string? Node, string? ContainerId, int Restarts, string? Reason)
{
    /// <summary>Scheduled or Running: the task holds a reservation and may have a container.</summary>
    public bool IsLive => State is "Scheduled" or "Running";
}
