namespace Orchestrator.Grains.Telemetry;

/// <summary>One node's liveness and resources, for the gauges.</summary>
public sealed record NodeGauge(string Name, bool Up, double CpuCapacity, double CpuAllocated, long MemoryCapacityBytes, long MemoryAllocatedBytes);
