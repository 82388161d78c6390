using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Jobs for tests on a simulated engine.</summary>
internal static class TestJobs
{
    /// <summary>Replicas that sleep for an hour, small enough that many fit one node.</summary>
    public static JobSpec Sleeping(string name, int replicas = 1) => new()
    {
        Name = name,
        Image = "orch-test/busybox:latest",
        Command = ["sleep", "3600"],
        Replicas = replicas,
        Resources = new ResourceSpec { Cpu = 0.1, MemoryMb = 16 },
    };
}
