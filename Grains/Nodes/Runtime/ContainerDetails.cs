namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>A container as the engine reports it.</summary>
public sealed record ContainerDetails
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>True while the container's process runs.</summary>
    public bool Running { get; init; }
    /// <summary>The engine's state word: created, running, exited, dead, …</summary>
    public string State { get; init; } = "";
    /// <summary>The exit code once the container has exited.</summary>
    public int? ExitCode { get; init; }
    /// <summary>The kernel killed the container for exceeding its memory limit.</summary>
    public bool OomKilled { get; init; }
    /// <summary>The engine's own error, e.g. why a start failed.</summary>
    public string? Error { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Published ports with the host ports actually bound.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
}
