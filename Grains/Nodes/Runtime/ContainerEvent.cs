namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>Something the engine reports of a container as it happens; <see cref="Action"/> is the engine's word, e.g. <c>die</c>.</summary>
public sealed record ContainerEvent(string ContainerId, string Action, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Time)
{
    /// <summary>The container's process ended (exit, kill, out of memory).</summary>
    public const string Die = "die";
}
