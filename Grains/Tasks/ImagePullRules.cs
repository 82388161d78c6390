namespace Orchestrator.Grains.Tasks;

/// <summary>
/// When a task whose image could not be pulled asks its node to pull again, as Kubernetes' ImagePullBackOff does:
/// 10 s after the first failure, doubling per failure in a row, capped at 5 minutes. A failed pull is not a
/// failure of the task's container, so it spends no restart.
/// </summary>
public static class ImagePullRules
{
    public static TimeSpan FirstDelay { get; } = TimeSpan.FromSeconds(10);

    public static TimeSpan MaxDelay { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay after <paramref name="failures"/> failed pulls in a row before this one (0 for the first failure).</summary>
    public static TimeSpan Backoff(int failures)
    {
        var seconds = FirstDelay.TotalSeconds * Math.Pow(2, Math.Clamp(failures, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
    }
}
