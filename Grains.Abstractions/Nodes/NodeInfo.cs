namespace Orchestrator.Abstractions.Nodes;

/// <summary>A node as the cluster sees it: status, capacity, what is allocated, labels, stats.</summary>
[GenerateSerializer, Immutable, Alias("node-info")]
public sealed record NodeInfo
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public NodeStatus Status { get; init; }
    [Id(2)] public double Cpus { get; init; }
    [Id(3)] public long MemoryMb { get; init; }
    [Id(4)] public double AllocatedCpu { get; init; }
    [Id(5)] public long AllocatedMemoryMb { get; init; }
    /// <summary>Live (not ended) tasks placed on the node.</summary>
    [Id(6)] public int Tasks { get; init; }
    [Id(7)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [Id(8)] public DateTimeOffset LastHeartbeat { get; init; }
    [Id(9)] public NodeStats Stats { get; init; } = new();
    /// <summary>Host ports held by live tasks, so the scheduler can filter on requested ports.</summary>
    [Id(10)] public IReadOnlyList<int> UsedHostPorts { get; init; } = [];
    /// <summary>Live tasks per job, so spread can break ties by the fewest of the same job.</summary>
    [Id(11)] public IReadOnlyDictionary<string, int> TasksByJob { get; init; } = new Dictionary<string, int>();
    /// <summary>Why the node has its status (for Down: what was lost and when).</summary>
    [Id(12)] public string? StatusReason { get; init; }
    /// <summary>The address the node's containers publish their ports on, where other machines reach them; null from a node that predates it.</summary>
    [Id(13)] public string? Address { get; init; }

    public double FreeCpu => Cpus - AllocatedCpu;
    public long FreeMemoryMb => MemoryMb - AllocatedMemoryMb;
}
