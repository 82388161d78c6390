using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Scheduling;

namespace Orchestrator.Tests.Scheduling;

/// <summary>Nodes, jobs and contexts with only the numbers a test is about spelled out.</summary>
internal static class SchedulingFixtures
{
    public static NodeInfo Node(string name, double cpus = 4, long memoryMb = 4096, double allocatedCpu = 0, long allocatedMemoryMb = 0) =>
        new()
        {
            Name = name,
            Status = NodeStatus.Ready,
            Cpus = cpus,
            MemoryMb = memoryMb,
            AllocatedCpu = allocatedCpu,
            AllocatedMemoryMb = allocatedMemoryMb,
        };

    public static JobSpec Job(double cpu = 0.5, long memoryMb = 256, int replicas = 1, string name = "web") =>
        new()
        {
            Name = name,
            Image = "orch-test/busybox:latest",
            Replicas = replicas,
            Resources = new ResourceSpec { Cpu = cpu, MemoryMb = memoryMb },
        };

    public static PlacementContext Context(JobSpec spec, int clusterSize = 2, long tick = 0, IReadOnlyCollection<string>? excluded = null, IReadOnlyList<NodeInfo>? nodes = null) =>
        new(spec, excluded ?? [], clusterSize, tick, nodes ?? []);
}
