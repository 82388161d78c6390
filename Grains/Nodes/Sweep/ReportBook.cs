using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>
/// What a node has reported to its tasks: the reports on their way (one per task at a time) and the acknowledged
/// ones, each of which stands for <paramref name="lifetime"/>; after that the node reports again, so a task that
/// lost what it knew, or a reservation no task claims any more, is found out by the node itself.
/// </summary>
public sealed class ReportBook(TimeSpan lifetime)
{
    private readonly Dictionary<string, (ReportedState State, DateTimeOffset At)> _acknowledged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);

    /// <summary>Marks a report to the task as on its way; false when one already is.</summary>
    public bool TryBegin(string taskId) => _sending.Add(taskId);

    /// <summary>The report to the task has been answered or failed.</summary>
    public void End(string taskId) => _sending.Remove(taskId);

    public bool IsSending(string taskId) => _sending.Contains(taskId);

    /// <summary>The task answered <paramref name="observation"/>.</summary>
    public void Acknowledge(string taskId, ContainerObservation observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _acknowledged[taskId] = (new ReportedState(observation.ContainerId, observation.Status), now);
    }

    /// <summary>The acknowledgements that still stand at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<string, ReportedState> Standing(DateTimeOffset now) =>
        _acknowledged.Where(a => now - a.Value.At < lifetime).ToDictionary(a => a.Key, a => a.Value.State, StringComparer.Ordinal);

    public void Forget(string taskId) => _acknowledged.Remove(taskId);
}
