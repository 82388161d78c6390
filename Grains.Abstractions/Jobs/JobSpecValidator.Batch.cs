namespace Orchestrator.Abstractions.Jobs;

/// <summary>The rules of <c>type</c>, <c>restart.reschedules</c> and <c>stopGraceSeconds</c> (the job file, README).</summary>
public static partial class JobSpecValidator
{
    private static void ValidateBatch(JobSpec spec, Action<string, string> fail)
    {
        if (!JobTypes.All.Contains(spec.Type))
        {
            fail("type", $"must be one of {string.Join(", ", JobTypes.All)} (got '{spec.Type}')");
        }
        else if (spec.IsBatch && spec.Restart.Policy == RestartPolicies.Always)
        {
            fail("restart.policy", "must be on-failure or never for a batch job: always restarts a replica that completed, so it never would");
        }
        if (spec.Restart.Reschedules is { } reschedules)
        {
            if (!spec.IsBatch)
            {
                fail("restart.reschedules", "applies to batch jobs only (\"type\": \"batch\")");
            }
            else if (reschedules is < 0 or > SpecLimits.MaxReschedules)
            {
                fail("restart.reschedules", $"must be an integer from 0 to {SpecLimits.MaxReschedules} (got {reschedules})");
            }
        }
        if (spec.StopGraceSeconds is < 0 or > SpecLimits.MaxStopGraceSeconds)
        {
            fail("stopGraceSeconds", $"must be an integer from 0 to {SpecLimits.MaxStopGraceSeconds} (got {spec.StopGraceSeconds})");
        }
    }
}
