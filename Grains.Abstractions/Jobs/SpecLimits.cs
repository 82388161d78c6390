namespace Orchestrator.Abstractions.Jobs;

/// <summary>Bounds on a job spec, against abuse and by the engine's own minimums (docs/CONTRACT.md, Job file).</summary>
public static class SpecLimits
{
    /// <summary>A job's name is a DNS label, so at most this long.</summary>
    public const int MaxNameLength = 63;
    public const int MaxReplicas = 10_000;
    public const double MinCpu = 0.01;
    public const long MinMemoryMb = 6;
    public const int MaxBackoffSeconds = 300;
    public const int MaxImageLength = 255;
    public const int MaxCommandItems = 256;
    public const int MaxCommandBytes = 64 * 1024;
    public const int MaxEnvEntries = 256;
    public const int MaxEnvBytes = 64 * 1024;
    public const int MaxPorts = 64;
    public const int MaxConstraints = 32;
    /// <summary>Values of one <c>in</c> or <c>notIn</c> constraint.</summary>
    public const int MaxConstraintValues = 64;
    public const int MaxLabelLength = 253;
    /// <summary>The longest <c>update.minHealthySeconds</c> and <c>update.healthyDeadlineSeconds</c>: a day.</summary>
    public const double MaxUpdateSeconds = 86_400;
    public const int DefaultStopGraceSeconds = 10;
    /// <summary>
    /// The longest <c>stopGraceSeconds</c>: a stop (of a task, a job, a replica replaced) is one grain call that waits for
    /// the container to end, and must be answered within Orleans' 30 s response timeout.
    /// </summary>
    public const int MaxStopGraceSeconds = 20;
    public const int DefaultReschedules = 1;
    public const int MaxReschedules = 10;
    /// <summary>A job file larger than this is refused before it is parsed.</summary>
    public const int MaxSpecBytes = 256 * 1024;
}
