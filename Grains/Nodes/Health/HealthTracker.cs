using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Nodes.Health;

/// <summary>
/// Counts one container's consecutive failed checks against its threshold and says when its health
/// changed enough to tell the task: the first pass, every failure, and the verdict. Passes while
/// healthy change nothing, so a healthy task's state is not rewritten on every check.
/// </summary>
public sealed class HealthTracker(string containerId, int failureThreshold)
{
    public TaskHealth Current { get; private set; } = new() { Status = HealthStatus.Unknown, ContainerId = containerId };

    /// <summary>Records a check's answer; returns the new health when the task should hear of it, else null.</summary>
    public TaskHealth? Record(ProbeResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Current.Status == HealthStatus.Unhealthy)
        {
            return null;
        }
        if (result.Healthy)
        {
            if (Current.Status == HealthStatus.Healthy)
            {
                return null;
            }
            Current = Current with { Status = HealthStatus.Healthy, ConsecutiveFailures = 0, CheckedAt = now };
            return Current;
        }
        var failures = Current.ConsecutiveFailures + 1;
        Current = Current with
        {
            Status = failures >= failureThreshold ? HealthStatus.Unhealthy : HealthStatus.Failing,
            ConsecutiveFailures = failures,
            LastFailure = result.Failure,
            CheckedAt = now,
        };
        return Current;
    }
}
