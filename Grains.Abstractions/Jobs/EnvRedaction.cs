using Orchestrator.Abstractions.Tasks;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Job specs as shown to someone who may see that a job has environment variables but not their values, which
/// hold passwords and keys as often as not: every value becomes <see cref="Mask"/>, the names stay.
/// </summary>
public static class EnvRedaction
{
    public const string Mask = "***";

    public static JobSpec Redact(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Env.Count == 0
            ? spec
            : spec with { Env = spec.Env.ToDictionary(e => e.Key, _ => Mask, StringComparer.Ordinal) };
    }

    public static JobInfo Redact(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job with { Spec = Redact(job.Spec), Versions = [.. job.Versions.Select(v => v with { Spec = Redact(v.Spec) })] };
    }

    public static TaskInfo Redact(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Spec is null ? task : task with { Spec = Redact(task.Spec) };
    }
}
