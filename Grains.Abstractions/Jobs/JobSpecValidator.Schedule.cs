namespace Orchestrator.Abstractions.Jobs;

/// <summary>The rules of <c>schedule</c> and <c>concurrency</c> (the job file, README).</summary>
public static partial class JobSpecValidator
{
    private static void ValidateSchedule(JobSpec spec, Action<string, string> fail)
    {
        if (spec.Schedule is { } schedule)
        {
            if (CronSchedule.TryParse(schedule) is null)
            {
                fail("schedule", $"must be a five-field cron expression such as \"*/5 * * * *\" (got '{schedule}')");
            }
            else if (!spec.IsBatch)
            {
                fail("schedule", "applies to batch jobs only (\"type\": \"batch\"): each run must end");
            }
            if (spec.Name.Length > SpecLimits.MaxNameLength - CronSchedule.RunSuffixLength)
            {
                fail("name", $"must be at most {SpecLimits.MaxNameLength - CronSchedule.RunSuffixLength} characters for a scheduled job: each run is named NAME-YYYYMMDDHHMM");
            }
        }
        if (spec.Concurrency is { } concurrency)
        {
            if (spec.Schedule is null)
            {
                fail("concurrency", "applies to scheduled jobs only (\"schedule\")");
            }
            else if (!ConcurrencyPolicies.All.Contains(concurrency))
            {
                fail("concurrency", $"must be one of {string.Join(", ", ConcurrencyPolicies.All)} (got '{concurrency}')");
            }
        }
    }
}
