namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>Everything a container is created with; limits are the job's reservation.</summary>
public sealed record ContainerCreateRequest
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    /// <summary>Null keeps the image's own command.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>CPU limit in cores (sent to the engine as NanoCPUs).</summary>
    public double Cpus { get; init; }
    public long MemoryBytes { get; init; }
    /// <summary>Ports to publish; host port 0 lets the engine pick a free one.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
    /// <summary>The address published ports bind to (<c>Orchestrator:PortHost</c>).</summary>
    public string PortHost { get; init; } = "127.0.0.1";
    public bool Privileged { get; init; }
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    /// <summary>Bind mounts as <c>source:target[:ro]</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];
    /// <summary>Null for the engine's default bridge, or "host".</summary>
    public string? NetworkMode { get; init; }
    /// <summary>Files readable in the container under <see cref="SecretMounts.ContainerPath"/>, never on the machine's disk.</summary>
    public IReadOnlyList<SecretFile> Secrets { get; init; } = [];
}
