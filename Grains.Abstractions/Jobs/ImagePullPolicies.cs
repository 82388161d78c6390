namespace Orchestrator.Abstractions.Jobs;

/// <summary>The image pull policies a job file may use: when a node pulls the job's image before it creates a container.</summary>
public static class ImagePullPolicies
{
    /// <summary>Pull only when the node's engine does not have the image.</summary>
    public const string Missing = "missing";

    /// <summary>Pull before every start, so a moved tag is picked up.</summary>
    public const string Always = "always";

    /// <summary>Never pull: the image must be on the node already.</summary>
    public const string Never = "never";

    public static IReadOnlyList<string> All { get; } = [Missing, Always, Never];
}
