using System.Globalization;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Images;

/// <summary>
/// The image pulls of one node and the tasks that wait for them, in memory: one pull per image however many tasks
/// wait for it, and per task where its pull stands until its container is created. Lost with the node grain, as a
/// kubelet's are: a task still waiting then asks for its start again (its node reports it has no container), and
/// the node pulls again.
/// </summary>
public sealed class ImagePulls
{
    private readonly Dictionary<string, HashSet<string>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImagePull> _byTask = new(StringComparer.Ordinal);

    /// <summary>Task → where its pull stands.</summary>
    public IReadOnlyDictionary<string, ImagePull> ByTask => _byTask;

    /// <summary>Where the task's pull stands; null when it waits for none.</summary>
    public ImagePull? Of(string taskId) => _byTask.GetValueOrDefault(taskId);

    /// <summary>
    /// The task waits for a pull of <paramref name="image"/>; true when none is in flight, so the caller must begin it.
    /// </summary>
    public bool Wait(string taskId, string image)
    {
        _byTask[taskId] = new ImagePull(image, ContainerStatus.Pulling, $"pulling image {image}");
        if (_waiting.TryGetValue(image, out var tasks))
        {
            tasks.Add(taskId);
            return false;
        }
        _waiting[image] = new HashSet<string>(StringComparer.Ordinal) { taskId };
        return true;
    }

    /// <summary>
    /// The pull of <paramref name="image"/> ended after <paramref name="took"/>, failed with <paramref name="failure"/> or
    /// not; returns the tasks that waited for it, whose pull now stands so.
    /// </summary>
    public IReadOnlyCollection<string> Ended(string image, string? failure, TimeSpan took)
    {
        if (!_waiting.Remove(image, out var tasks))
        {
            return [];
        }
        var outcome = failure is null
            ? new ImagePull(image, ContainerStatus.Pulled, string.Create(CultureInfo.InvariantCulture, $"pulled image {image} in {took.TotalSeconds:0.0} s"))
            : new ImagePull(image, ContainerStatus.PullFailed, failure);
        // A task that stopped waiting (removed, or asking for another image now) is not told.
        tasks.RemoveWhere(t => _byTask.GetValueOrDefault(t) is not { Status: ContainerStatus.Pulling } pull || pull.Image != image);
        foreach (var taskId in tasks)
        {
            _byTask[taskId] = outcome;
        }
        return tasks;
    }

    /// <summary>The task's container is being created (or it is gone): its pull is history.</summary>
    public void Forget(string taskId) => _byTask.Remove(taskId);
}
