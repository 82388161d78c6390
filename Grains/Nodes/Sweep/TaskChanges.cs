namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>
/// Numbers every change a node makes to a task's entry or containers (a generation), and knows which starts are
/// in flight, so a decision taken from a list of containers can tell which tasks changed since that list was
/// taken. Generations rise across the node's restarts (they start from the clock), so a task can order the
/// answers of two lives of its node.
/// </summary>
public sealed class TaskChanges(TimeProvider clock)
{
    private readonly Dictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _starting = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>
    /// The generation of a list of containers taken now: past every generation handed out, and never behind the
    /// clock, so what a new life of the node reports is newer than anything its earlier life answered (a count from
    /// zero made every report of a restarted node older than the start it follows, and the task ignored them all).
    /// Changes after it get higher generations.
    /// </summary>
    public long Mark()
    {
        _generation = Math.Max(_generation, clock.GetUtcNow().UtcTicks);
        return _generation;
    }

    /// <summary>Records a change to the task and returns its generation.</summary>
    public long Touch(string taskId)
    {
        _generation = Math.Max(_generation + 1, clock.GetUtcNow().UtcTicks);
        _changedAt[taskId] = _generation;
        return _generation;
    }

    /// <summary>Marks a start of the task as in flight; false when one already is.</summary>
    public bool TryStart(string taskId)
    {
        if (!_starting.Add(taskId))
        {
            return false;
        }
        Touch(taskId);
        return true;
    }

    /// <summary>The start of the task ended, one way or another.</summary>
    public void EndStart(string taskId)
    {
        _starting.Remove(taskId);
        Touch(taskId);
    }

    public bool IsStarting(string taskId) => _starting.Contains(taskId);

    /// <summary>True when the task is starting, or changed after <paramref name="generation"/>.</summary>
    public bool ChangedSince(string taskId, long generation) =>
        _starting.Contains(taskId) || (_changedAt.TryGetValue(taskId, out var at) && at > generation);

    /// <summary>Every task starting, or changed after <paramref name="generation"/>.</summary>
    public IReadOnlySet<string> ChangedSince(long generation) =>
        _changedAt.Where(c => c.Value > generation).Select(c => c.Key).Concat(_starting).ToHashSet(StringComparer.Ordinal);

    /// <summary>Forgets changes no decision can ask about any more: at or before <paramref name="generation"/>, of tasks <paramref name="settled"/> says are done with.</summary>
    public IReadOnlyList<string> Prune(long generation, Func<string, bool> settled)
    {
        ArgumentNullException.ThrowIfNull(settled);
        var done = _changedAt.Where(c => c.Value <= generation && settled(c.Key)).Select(c => c.Key).ToList();
        foreach (var taskId in done)
        {
            _changedAt.Remove(taskId);
        }
        return done;
    }
}
