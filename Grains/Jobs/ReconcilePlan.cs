namespace Orchestrator.Grains.Jobs;

/// <summary>What a job must change to match its spec: slots to fill with a new task, and tasks to stop.</summary>
public sealed record ReconcilePlan(IReadOnlyList<int> Place, IReadOnlyList<TaskStop> Stop)
{
    public bool IsEmpty => Place.Count == 0 && Stop.Count == 0;
}
