namespace Orchestrator.Grains.Tasks;

/// <summary>
/// The timers by which a task acts on its own, on its grain's scheduler: it retries its placement while Pending,
/// starts its container again once a restart (or a pull) is due, and asks its node what became of its container,
/// every <see cref="CheckInterval"/> while Scheduled and now and then while Running.
/// </summary>
/// <param name="grain">The task grain whose timers these are.</param>
/// <param name="place">Tries placement once.</param>
/// <param name="restart">Starts the container whose restart is due.</param>
/// <param name="check">Asks the node about the container.</param>
/// <param name="placementRetry">How often a Pending task tries placement again.</param>
/// <param name="runningCheckInterval">How often a Running task asks its node.</param>
public sealed class TaskTimers(IGrainBase grain, Func<Task> place, Func<Task> restart, Func<Task> check, TimeSpan placementRetry, TimeSpan runningCheckInterval)
{
    /// <summary>How often a task that waits in Scheduled asks its node what became of its container, and retries an abandoned start's cleanup.</summary>
    public static TimeSpan CheckInterval { get; } = TimeSpan.FromSeconds(15);

    private IGrainTimer? _placementTimer;
    private IGrainTimer? _restartTimer;
    private IGrainTimer? _checkTimer;
    // Whether _checkTimer is the slow check of a Running task rather than the quick one of a Scheduled task.
    private bool _checkingRunning;

    /// <summary>True from <see cref="ScheduleRestart"/> until the restart begins or is stopped.</summary>
    public bool RestartScheduled => _restartTimer is not null;

    /// <summary>Tries placement now, and again every placement retry until stopped.</summary>
    public void RetryPlacement()
    {
        _placementTimer?.Dispose();
        _placementTimer = grain.RegisterGrainTimer(
            static (place, _) => place(),
            place,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = placementRetry, KeepAlive = true });
    }

    /// <summary>Starts the container again after <paramref name="delay"/>, replacing a restart scheduled before.</summary>
    public void ScheduleRestart(TimeSpan delay)
    {
        _restartTimer?.Dispose();
        _restartTimer = grain.RegisterGrainTimer(
            static (timers, _) => timers.RestartNowAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    /// <summary>Asks the node after <paramref name="dueTime"/>, then every <see cref="CheckInterval"/>: the quick check of a Scheduled task.</summary>
    public void CheckScheduled(TimeSpan dueTime)
    {
        _checkTimer?.Dispose();
        _checkingRunning = false;
        _checkTimer = grain.RegisterGrainTimer(
            static (check, _) => check(),
            check,
            new GrainTimerCreationOptions { DueTime = dueTime, Period = CheckInterval, KeepAlive = true });
    }

    /// <summary>
    /// Asks the node now and then while the task runs. The timer does not keep the task active: an idle one is asked
    /// again when it next activates (its job's reconcile reads it every minute).
    /// </summary>
    public void CheckWhileRunning()
    {
        if (_checkingRunning)
        {
            return;
        }
        _checkTimer?.Dispose();
        _checkTimer = grain.RegisterGrainTimer(
            static (check, _) => check(),
            check,
            new GrainTimerCreationOptions { DueTime = runningCheckInterval * (0.5 + (Random.Shared.NextDouble() / 2)), Period = runningCheckInterval, KeepAlive = false });
        _checkingRunning = true;
    }

    public void StopChecking()
    {
        _checkTimer?.Dispose();
        _checkTimer = null;
        _checkingRunning = false;
    }

    /// <summary>Stops placing and restarting; the check stops itself once the task is neither Scheduled nor Running.</summary>
    public void StopPlacementAndRestart()
    {
        _placementTimer?.Dispose();
        _placementTimer = null;
        _restartTimer?.Dispose();
        _restartTimer = null;
    }

    private Task RestartNowAsync()
    {
        _restartTimer?.Dispose();
        _restartTimer = null;
        return restart();
    }
}
