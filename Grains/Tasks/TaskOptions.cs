namespace Orchestrator.Grains.Tasks;

/// <summary>What tasks read of the <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class TaskOptions
{
    public const string Section = "Orchestrator";

    /// <summary>How often a Pending task tries placement again.</summary>
    public TimeSpan PlacementRetry { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often a Running task asks its node what it sees of the task, besides the node's own reports: a node that no
    /// longer holds the task's reservation (a failover left it believing no live task claimed it) reports nothing more
    /// of the task, so only the task's question finds that out. Each task starts at a random point of the interval.
    /// </summary>
    public TimeSpan RunningCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
