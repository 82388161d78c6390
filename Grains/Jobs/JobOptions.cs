namespace Orchestrator.Grains.Jobs;

/// <summary>
/// What jobs read of the <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration).
/// Checked by <see cref="JobOptionsValidator"/>.
/// </summary>
public sealed class JobOptions
{
    public const string Section = "Orchestrator";

    /// <summary>
    /// How long an ended task stays visible (<c>orch ps --all</c>, <c>inspect</c>, <c>logs</c>) after it gave up
    /// its replica slot, and a stopped job after its stop, before their stored state is deleted. An hour, like
    /// Nomad's evaluation GC and the span people usually give Kubernetes' <c>ttlSecondsAfterFinished</c>: long
    /// enough to read a crash's events and logs afterwards, short enough that a cluster churning jobs all day
    /// does not keep every task it ever ran.
    /// </summary>
    public TimeSpan TaskRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The period of each job's reminder, which reconciles the job and prunes what outlived <see cref="TaskRetention"/>.
    /// Orleans refuses reminder periods under a minute unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered, as tests do.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a job whose latest version is rolling out re-reads its tasks' state and health and takes the next
    /// step: tasks do not tell their job when they turn Running or Healthy, so the job looks, but only while it rolls.
    /// </summary>
    public TimeSpan RolloutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
