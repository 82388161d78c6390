using System.Text.Json;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Dashboard;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Dashboard;

/// <summary>What the orchestrator view reads (<c>GET /api/cluster</c>): how much of each job, and the JSON its page reads.</summary>
public sealed class ClusterSnapshotReaderTests
{
    private static JobInfo Job(string name, int live, int remembered) => new()
    {
        Name = name,
        Spec = new JobSpec { Name = name, Image = "busybox" },
        LiveTaskIds = [.. Enumerable.Range(0, live).Select(i => $"{name}-{i}-live")],
        TaskIds = [.. Enumerable.Range(0, remembered).Select(i => $"{name}-{i}-task")],
    };

    public static TheoryData<string, JobInfo[], (string Job, int Limit)[], int> Cases => new()
    {
        // because, jobs, each job asked for at most this many tasks, tasks not shown
        { "a small cluster: every live task and each job's newest ended ones", [Job("a", 2, 15), Job("b", 1, 1)], [("a", 12), ("b", 1)], 0 },
        { "live tasks first, job by job, then ended ones while there is room", [Job("a", 1, 20), Job("b", 495, 495)], [("a", 5), ("b", 495)], 6 },
        { "the cap leaves a large job's ended tasks out before another job's live ones", [Job("a", 300, 400), Job("b", 300, 300)], [("a", 300), ("b", 200)], 110 },
        { "a job left no room is not asked", [Job("a", 500, 500), Job("b", 1, 1)], [("a", 500)], 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_job_is_asked_for_its_share_of_the_tasks_shown(string because, JobInfo[] jobs, (string Job, int Limit)[] expected, int notShown)
    {
        var (queries, left) = ClusterSnapshotReader.Shares(jobs);

        Assert.True(expected.SequenceEqual(queries.Select(q => (q.Key, q.Value.Limit))), because);
        Assert.All(queries, q => Assert.True(q.Value is { Ended: true, Events: true }, because));
        Assert.Equal(notShown, left);
    }

    [Fact]
    public async Task The_snapshot_has_the_fields_the_page_reads()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("web").SubmitAsync(TestJobs.Sleeping("web"));
        await cluster.WaitForTasksAsync("web", t => t.Single().State == TaskState.Running);

        // The silo writes it with the API's JSON options (OutputJson), as GET /api/cluster does.
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(await ClusterSnapshotReader.ReadAsync(cluster.Client), OutputJson.Options));

        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("tasksNotShown").GetInt32());
        Assert.True(root.TryGetProperty("time", out _));
        var node = root.GetProperty("nodes")[0];
        Assert.Equal((cluster.Node, "Ready"), (node.GetProperty("name").GetString(), node.GetProperty("status").GetString()));
        foreach (var field in new[] { "tasks", "statusReason", "cpus", "memoryMb", "allocatedCpu", "allocatedMemoryMb", "labels", "lastHeartbeat" })
        {
            Assert.True(node.TryGetProperty(field, out _), field);
        }
        Assert.True(node.GetProperty("stats").TryGetProperty("cpuPercent", out _));
        var job = root.GetProperty("jobs")[0];
        Assert.Equal(("web", "Active", "orch-test/busybox:latest", 1, "service"), (
            job.GetProperty("job").GetString(), job.GetProperty("status").GetString(), job.GetProperty("image").GetString(),
            job.GetProperty("replicas").GetInt32(), job.GetProperty("type").GetString()));
        foreach (var field in new[] { "batch", "schedule", "scheduler", "updatedAt" })
        {
            Assert.True(job.TryGetProperty(field, out _), field);
        }
        var task = root.GetProperty("tasks")[0];
        Assert.Equal(("web", "Running", cluster.Node), (task.GetProperty("job").GetString(), task.GetProperty("state").GetString(), task.GetProperty("node").GetString()));
        foreach (var field in new[] { "id", "restarts", "ports", "containerId", "reason", "createdAt" })
        {
            Assert.True(task.TryGetProperty(field, out _), field);
        }
        var newest = root.GetProperty("events")[0];
        Assert.Equal((task.GetProperty("id").GetString(), "Scheduled", "Running"), (newest.GetProperty("task").GetString(), newest.GetProperty("from").GetString(), newest.GetProperty("to").GetString()));
        Assert.True(newest.TryGetProperty("time", out _));
        Assert.True(newest.TryGetProperty("reason", out _));
    }
}
