using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Cluster;

/// <summary>The jobs the scenarios submit, and what they read back of them through an Orleans client.</summary>
internal static class BenchJobs
{
    /// <summary>busybox <c>sleep 3600</c> at the engine's minimum reservation: 0.01 CPU and 6 MB per replica.</summary>
    public static JobSpec Sleepers(string name, int replicas) => JobSpecParser.Parse($$"""
        {
          "name": "{{name}}",
          "image": "{{MainEngine.TestImage}}",
          "command": ["sleep", "3600"],
          "replicas": {{replicas}},
          "resources": { "cpu": 0.01, "memoryMb": 6 }
        }
        """);

    /// <summary>busybox web servers on a free host port each, as the cluster tests run them.</summary>
    public static JobSpec WebServers(string name, int replicas) => JobSpecParser.Parse($$"""
        {
          "name": "{{name}}",
          "image": "{{MainEngine.TestImage}}",
          "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
          "replicas": {{replicas}},
          "resources": { "cpu": 0.1, "memoryMb": 16 },
          "ports": [ { "container": 8080, "host": 0 } ]
        }
        """);

    /// <summary>The tasks filling the job's replica slots now.</summary>
    public static async Task<IReadOnlyList<TaskInfo>> LiveTasksAsync(IGrainFactory grains, string job)
    {
        var info = await grains.GetJob(job).GetAsync() ?? throw new InvalidOperationException($"job {job} is gone");
        var tasks = await Task.WhenAll(info.LiveTaskIds.Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync()));
        return tasks.OfType<TaskInfo>().ToArray();
    }

    /// <summary>Polls the job's live tasks until <paramref name="done"/> holds; fails when one fails on its own or time runs out.</summary>
    public static async Task<IReadOnlyList<TaskInfo>> WaitAsync(
        IGrainFactory grains, string job, Func<IReadOnlyList<TaskInfo>, bool> done, TimeSpan poll, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            IReadOnlyList<TaskInfo> tasks;
            try
            {
                tasks = await LiveTasksAsync(grains, job);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && DateTimeOffset.UtcNow < deadline)
            {
                // A call that reached a grain of a silo just killed; it moves on the next poll, as a user's retry would.
                await Task.Delay(poll, cancellationToken);
                continue;
            }
            if (done(tasks))
            {
                return tasks;
            }
            // A task displaced from a lost node ends Failed too, but its job replaces it: only a failure of its own counts.
            if (tasks.FirstOrDefault(t => t.State == TaskState.Failed && !t.Displaced) is { } failed)
            {
                throw new InvalidOperationException($"task {failed.Id} of job {job} failed: {failed.Reason}");
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"job {job} did not get there within {timeout.TotalSeconds:0} s: " +
                    string.Join(", ", tasks.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key}")) +
                    (tasks.FirstOrDefault(t => t.State != TaskState.Running) is { } waiting ? $"; e.g. {waiting.Id}: {waiting.Reason}" : ""));
            }
            await Task.Delay(poll, cancellationToken);
        }
    }

    /// <summary>When the task last became Running, from its own events.</summary>
    public static DateTimeOffset RunningSince(TaskInfo task) =>
        task.Events.LastOrDefault(e => e.To == TaskState.Running)?.Time
            ?? throw new InvalidOperationException($"task {task.Id} has no Running event");
}
