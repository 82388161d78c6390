using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// The restart policy (docs/CONTRACT.md, Job file) as a pure function: <c>always</c> restarts whatever the exit,
/// <c>on-failure</c> only a failure, <c>never</c> nothing; at most <c>maxRestarts</c> per task; the delay
/// starts at <c>backoffSeconds</c> and doubles per consecutive quick failure, capped at 300 s, and
/// resets after 10 minutes of healthy running (as Kubernetes' CrashLoopBackOff does).
/// </summary>
public static class RestartRules
{
    public static TimeSpan MaxBackoff { get; } = TimeSpan.FromSeconds(SpecLimits.MaxBackoffSeconds);

    /// <summary>Running this long without failing resets the backoff.</summary>
    public static TimeSpan BackoffResetAfter { get; } = TimeSpan.FromMinutes(10);

    /// <param name="restart">The job's restart spec.</param>
    /// <param name="exitCode">The exit code, or null when the container was lost or unhealthy (always a failure).</param>
    /// <param name="restarts">Restarts the task has had so far.</param>
    /// <param name="backoffStep">Consecutive quick failures so far (the exponent of the delay).</param>
    /// <param name="what">What happened, e.g. "exited with code 3".</param>
    public static RestartDecision Decide(RestartSpec restart, int? exitCode, int restarts, int backoffStep, string what)
    {
        ArgumentNullException.ThrowIfNull(restart);
        var succeeded = exitCode == 0;
        var wantsRestart = restart.Policy switch
        {
            RestartPolicies.Always => true,
            RestartPolicies.OnFailure => !succeeded,
            _ => false,
        };
        if (wantsRestart && restarts < restart.MaxRestarts)
        {
            var delay = Backoff(restart.BackoffSeconds, backoffStep);
            return new RestartDecision(
                RestartOutcome.Restart,
                delay,
                $"{what}; restart {restarts + 1} of {restart.MaxRestarts} in {delay.TotalSeconds:0.###}s");
        }
        if (succeeded)
        {
            return new RestartDecision(RestartOutcome.Complete, TimeSpan.Zero, what);
        }
        var why = wantsRestart ? $"no restart left ({restarts} of {restart.MaxRestarts} used)" : $"restart policy {restart.Policy}";
        return new RestartDecision(RestartOutcome.Fail, TimeSpan.Zero, $"{what}; {why}");
    }

    /// <summary>The backoff step of a container that ended at <paramref name="now"/>: 0 once it ran <see cref="BackoffResetAfter"/>, else <paramref name="backoffStep"/>.</summary>
    /// <param name="runningSince">When the container started running; null when it never ran.</param>
    /// <param name="backoffStep">Consecutive quick failures before it.</param>
    /// <param name="now">When it ended.</param>
    public static int BackoffStepAfter(DateTimeOffset? runningSince, int backoffStep, DateTimeOffset now) =>
        runningSince is { } since && now - since >= BackoffResetAfter ? 0 : backoffStep;

    /// <summary><c>backoffSeconds × 2^step</c>, capped at 300 s.</summary>
    public static TimeSpan Backoff(double backoffSeconds, int step)
    {
        var seconds = backoffSeconds * Math.Pow(2, Math.Clamp(step, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoff.TotalSeconds));
    }
}
