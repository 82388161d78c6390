using Microsoft.Extensions.Logging;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// A job's periodic reconcile (and prune), which runs even when nothing calls the job. A reminder, unlike a timer, is
/// stored in PostgreSQL and fires on a surviving silo after the job's silo dies. It is a safety net, not the change
/// itself: when the reminder service cannot take it yet (it loads for a while after a silo starts; the database may be
/// away for a moment), the change still succeeds and a timer registers the reminder a little later.
/// </summary>
/// <param name="grain">The job grain, which the reminder and the retry timer belong to.</param>
/// <param name="interval">How often the job is reconciled (<c>ReconcileInterval</c>).</param>
/// <param name="logger">The job grain's.</param>
/// <param name="job">The job's name.</param>
public sealed partial class ReconcileReminder(IGrainBase grain, TimeSpan interval, ILogger logger, string job)
{
    private const string Name = "reconcile";
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);

    private IGrainTimer? _retry;

    /// <summary>Registers the reminder, or has a timer try again until it is.</summary>
    public async Task ArmAsync()
    {
        try
        {
            await grain.RegisterOrUpdateReminder(Name, interval, interval);
            CancelRetry();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReminderDeferred(e, job, Retry.TotalSeconds);
            _retry ??= grain.RegisterGrainTimer(
                static (reminder, _) => reminder.ArmAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = Retry, Period = Retry, KeepAlive = true });
        }
    }

    /// <summary>Stops trying to register the reminder.</summary>
    public void CancelRetry()
    {
        _retry?.Dispose();
        _retry = null;
    }

    /// <summary>Unregisters the reminder, if there is one.</summary>
    public async Task UnregisterAsync()
    {
        if (await grain.GetReminder(Name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not register its periodic reconcile yet; trying again in {Seconds} s")]
    private partial void LogReminderDeferred(Exception exception, string job, double seconds);
}
