namespace Orchestrator.Abstractions.Jobs;

/// <summary>The job types a job file may use.</summary>
public static class JobTypes
{
    /// <summary>Replicas run until the job is stopped; one that ends stays ended until the job is submitted again.</summary>
    public const string Service = "service";

    /// <summary>Replicas run to completion; the job succeeds when every one ended Completed.</summary>
    public const string Batch = "batch";

    public static IReadOnlyList<string> All { get; } = [Service, Batch];
}
