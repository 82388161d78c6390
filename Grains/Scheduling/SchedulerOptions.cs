using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// What the scheduler reads of the <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration).
/// Checked by <see cref="SchedulerOptionsValidator"/>.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Orchestrator";

    /// <summary>
    /// The scheduler of jobs that name none, one of <see cref="SchedulerNames"/>. A string, not an enum: it is the same
    /// closed set a job spec names in its <c>scheduler</c> field, and <c>round-robin</c> is no identifier an enum could bind.
    /// </summary>
    public string DefaultScheduler { get; set; } = SchedulerNames.Epvm;
}
