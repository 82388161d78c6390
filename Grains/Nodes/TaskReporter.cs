using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes.Sweep;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// What a node tells its tasks. Chiefly what each one's container does, until the task has acknowledged it
/// (<see cref="Book"/>): the task's answer is its acknowledgement and says what to do with the reservation
/// (<c>settle</c>), and an unanswered report is sent again by the next sweep; an acknowledgement stands
/// <see cref="AcknowledgementLifetime"/>, then the node reports again, and a reservation its task disowns is reclaimed.
/// </summary>
public sealed partial class TaskReporter(IGrainFactory grains, string node, TaskChanges changes, Func<string, ContainerVerdict, Task> settle, ILogger logger)
{
    private static readonly TimeSpan AcknowledgementLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The reports on their way and those acknowledged.</summary>
    public ReportBook Book { get; } = new(AcknowledgementLifetime);

    /// <summary>Tells the task what its container does, unless a report to it is on its way.</summary>
    public void Report(string taskId, ContainerObservation observation)
    {
        if (Book.TryBegin(taskId))
        {
            ReportToTaskAsync(taskId, observation).Ignore();
        }
    }

    /// <summary>Tells the task its container's health changed.</summary>
    public void ReportHealth(string taskId, TaskHealth health) =>
        grains.GetGrain<ITaskGrain>(taskId).ReportHealthAsync(node, health).Ignore();

    /// <summary>Asks the task to move: the node is drained.</summary>
    public void Displace(string taskId) =>
        grains.GetGrain<ITaskGrain>(taskId).DisplaceAsync($"node {node} drained").Ignore();

    private async Task ReportToTaskAsync(string taskId, ContainerObservation observation)
    {
        try
        {
            var verdict = await grains.GetGrain<ITaskGrain>(taskId).ObserveContainerAsync(node, observation);
            Book.Acknowledge(taskId, observation, DateTimeOffset.UtcNow);
            if (verdict == ContainerVerdict.Keep || changes.ChangedSince(taskId, observation.Generation))
            {
                return;
            }
            LogVerdict(taskId, verdict, node);
            await settle(taskId, verdict);
        }
#pragma warning disable CA1031 // Whatever failed, the next sweep reports again: that is the retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReportFailed(e, taskId, node);
        }
        finally
        {
            Book.End(taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} answered {Verdict} for its reservation on {Node}")]
    private partial void LogVerdict(string taskId, ContainerVerdict verdict, string node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not report to task {TaskId} from {Node}; the next sweep reports again")]
    private partial void LogReportFailed(Exception exception, string taskId, string node);
}
