namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// The clock of a scheduled job (<see cref="JobSpec.Schedule"/>), keyed by the job's name: submits a child job each time
/// the schedule falls due. Internal to the cluster; users see it through the job's <see cref="JobInfo.Schedule"/>.
/// </summary>
[Alias("job-schedule")]
public interface IJobScheduleGrain : IGrainWithStringKey
{
    /// <summary>Reads the job and acts on it: a run that fell due starts, a stopped job's runs stop. Safe to repeat.</summary>
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>The schedule's runs so far and its next time. Answers at once, even while it acts.</summary>
    [Alias("get"), Orleans.Concurrency.AlwaysInterleave]
    Task<ScheduleProgress> GetAsync();
}
