using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Telemetry;
using Xunit;

namespace Orchestrator.Tests.Telemetry;

/// <summary>What the cluster-wide gauges report, from the directories' jobs, tasks and nodes.</summary>
public sealed class ClusterGaugesTests
{
    private static JobInfo Job(string name, JobStatus status) => new()
    {
        Name = name,
        Status = status,
        Spec = new JobSpec { Name = name, Image = "orch-test/busybox:latest" },
    };

    private static TaskInfo TaskOf(string job, int slot, TaskState state) => new()
    {
        Id = $"{job}-{slot}-abcdef",
        Job = job,
        Slot = slot,
        State = state,
    };

    [Fact]
    public void Tasks_are_counted_per_live_job_and_state_and_a_stopped_job_has_no_series()
    {
        var gauges = ClusterGauges.From(
            [],
            [Job("web", JobStatus.Active), Job("old", JobStatus.Stopped)],
            [TaskOf("web", 0, TaskState.Running), TaskOf("web", 1, TaskState.Running), TaskOf("web", 2, TaskState.Pending), TaskOf("old", 0, TaskState.Running)]);

        Assert.Equal(new[] { new TaskCount("web", "Pending", 1), new TaskCount("web", "Running", 2) }, gauges.Tasks);
        Assert.Equal(new[] { "web" }, gauges.LiveJobs);
    }

    [Fact]
    public void A_down_node_is_not_up_and_memory_is_in_bytes()
    {
        var gauges = ClusterGauges.From(
            [
                new NodeInfo { Name = "a", Status = NodeStatus.Ready, Cpus = 4, AllocatedCpu = 1.5, MemoryMb = 1024, AllocatedMemoryMb = 64 },
                new NodeInfo { Name = "b", Status = NodeStatus.Draining, Cpus = 2 },
                new NodeInfo { Name = "c", Status = NodeStatus.Down, Cpus = 2 },
            ],
            [],
            []);

        Assert.Equal(
            new[] { new NodeGauge("a", true, 4, 1.5, 1024L * 1024 * 1024, 64L * 1024 * 1024), new NodeGauge("b", true, 2, 0, 0, 0), new NodeGauge("c", false, 2, 0, 0, 0) },
            gauges.Nodes);
    }
}
