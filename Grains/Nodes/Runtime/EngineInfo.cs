namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>What the engine reports of its machine.</summary>
public sealed record EngineInfo(double Cpus, long MemoryBytes, string Name, string Version);
