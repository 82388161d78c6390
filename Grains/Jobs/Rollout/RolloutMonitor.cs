using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>
/// A job's rollout between its reconcile passes: plans each pass's share (<see cref="RolloutPlanner"/>), remembers
/// where the rollout stood, says how it ended, and while a version rolls out has the job reconciled every
/// <c>RolloutCheckInterval</c>: a Ready task counts by time alone, and tasks do not tell their job of their health, so it
/// looks. Each look asks only the tasks whose health the rollout waits on (<see cref="RolloutPlan.WaitsOn"/>) and every
/// <see cref="FullLookEvery"/>th look asks them all, so a notice lost, or a task that counted and then turned unhealthy,
/// is seen within that many looks. In memory only,
/// derived again by every pass, so a job that activates carries on from what was stored.
/// </summary>
/// <param name="grain">The job grain, which the timer belongs to.</param>
/// <param name="reconcile">
/// The job's reconcile after reading its tasks again: those given, or every task for null. The timer runs it.
/// </param>
/// <param name="interval">How often to look while rolling (<c>RolloutCheckInterval</c>).</param>
/// <param name="logger">The job grain's.</param>
/// <param name="job">The job's name.</param>
public sealed partial class RolloutMonitor(IGrainBase grain, Func<IReadOnlyCollection<string>?, Task> reconcile, TimeSpan interval, ILogger logger, string job)
{
    /// <summary>
    /// Looks between two that read every task. Reading a thousand replicas every second while they started was as many
    /// grain calls as placing them.
    /// </summary>
    internal const int FullLookEvery = 10;

    // A rollout timer due when a task counts fires a little after, so that the task has counted when it looks.
    private static readonly TimeSpan QuietMargin = TimeSpan.FromMilliseconds(100);

    private IGrainTimer? _timer;
    private bool _deferred;
    // When the rollout can next move by time alone (RolloutPlan.QuietUntil); until then its timer need not ask the tasks.
    private DateTimeOffset? _quietUntil;
    // The tasks the last pass's rollout waited on, and the looks since one read every task.
    private IReadOnlyList<string> _waitsOn = [];
    private int _looks;

    /// <summary>Where the latest rollout stood at the last pass.</summary>
    public RolloutProgress? Progress { get; private set; }

    /// <summary>The rollout's share of this pass, from the job's state and its tasks as last known.</summary>
    public RolloutPlan Plan(JobState state, IReadOnlyDictionary<string, TaskInfo> tasks, IReadOnlyList<NodeInfo> nodes, DateTimeOffset now)
    {
        var rollout = RolloutPlanner.Compute(RolloutInputs.From(state, tasks, nodes, now));
        Progress = rollout.Progress;
        _quietUntil = rollout.QuietUntil;
        _waitsOn = rollout.WaitsOn;
        return rollout;
    }

    /// <summary>Logs what became of the version being rolled out, with the versions as they were before the pass.</summary>
    public void Report(RolloutPlan rollout, ImmutableList<JobVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var version = JobVersions.Latest(versions);
        switch (rollout.Outcome)
        {
            case RolloutOutcome.Healthy:
                LogRolledOut(job, version);
                break;
            case RolloutOutcome.Failed:
                LogRolloutFailed(job, version, rollout.Reason!);
                break;
            case RolloutOutcome.Revert:
                LogReverted(job, version, JobVersions.LastHealthy(versions)!.Number, rollout.Reason!);
                break;
        }
    }

    /// <summary>While a version rolls out, the job looks at its tasks often; it stops looking once the rollout ended.</summary>
    public void Keep(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var rolling = state.Status == JobStatus.Active
            && (state.Versions.LastOrDefault()?.Status == JobVersionStatus.Rolling || !state.Surge.IsEmpty);
        var quiet = Deferral(_quietUntil, DateTimeOffset.UtcNow, interval);
        if (!rolling)
        {
            _timer?.Dispose();
            _timer = null;
        }
        else if (_timer is null)
        {
            _timer = grain.RegisterGrainTimer(
                static (monitor, _) => monitor.LookAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = quiet ?? interval, Period = interval, KeepAlive = true });
            _deferred = quiet is not null;
        }
        else if (quiet is { } deferred)
        {
            _timer.Change(deferred, interval);
            _deferred = true;
        }
        else if (_deferred)
        {
            _timer.Change(interval, interval);
            _deferred = false;
        }
    }

    private Task LookAsync() => reconcile(++_looks % FullLookEvery == 0 ? null : _waitsOn);

    /// <summary>
    /// How long the timer may wait before it next looks, when longer than its interval; null when it should look at its
    /// interval. Every task the rollout waits on is Ready and counts at a known time: asking them each interval until
    /// then learns nothing. The deferral is to a fixed moment, so passes in between cannot keep pushing the look away.
    /// </summary>
    internal static TimeSpan? Deferral(DateTimeOffset? quietUntil, DateTimeOffset now, TimeSpan interval) =>
        quietUntil is { } until && until - now + QuietMargin is var wait && wait > interval ? wait : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: version {Version} rolled out, every replica healthy")]
    private partial void LogRolledOut(string job, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the rollout of version {Version} failed and stops where it is: {Reason}")]
    private partial void LogRolloutFailed(string job, int version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the rollout of version {Version} failed; rolling back to version {Target}: {Reason}")]
    private partial void LogReverted(string job, int version, int target, string reason);
}
