namespace Orchestrator.Testing;

/// <summary>
/// What a <see cref="RigCluster"/> says runs (its live tasks) and what runs on its engines (container id → the task it
/// runs), read one after the other.
/// </summary>
internal sealed record RigSnapshot(List<RigTask> Tasks, Dictionary<string, string> Containers)
{
    /// <summary>
    /// Each job of <paramref name="replicas"/> has exactly that many tasks, all Running, one per slot, and the running
    /// containers are exactly the cluster's tasks, one each: nothing lost, nothing duplicated, no orphans.
    /// </summary>
    public bool IsConverged(IReadOnlyDictionary<string, int> replicas) =>
        replicas.All(job =>
        {
            var tasks = Tasks.Where(t => t.Job == job.Key).ToList();
            return tasks.Count == job.Value && tasks.All(t => t.State == "Running")
                && tasks.Select(t => t.Slot).Order().SequenceEqual(Enumerable.Range(0, job.Value));
        })
        && Tasks.Select(t => t.Id).Order().SequenceEqual(Containers.Values.Order());
}
