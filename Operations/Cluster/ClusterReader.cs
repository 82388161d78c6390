using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Discovery;
using Orchestrator.Operations.Output;

namespace Orchestrator.Operations.Cluster;

/// <summary>
/// Reads jobs, tasks and nodes from the grains for <c>orch</c>, the HTTP API and the orchestrator view, failing with
/// <see cref="NotFoundException"/> for what does not exist. Every read is safe to repeat.
/// </summary>
public static class ClusterReader
{
    /// <summary>Every job the directory lists that still exists.</summary>
    public static async Task<IReadOnlyList<JobInfo>> ListJobsAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var names = await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
        var found = await Task.WhenAll(names.Select(name => grains.GetJob(name).GetAsync())).ConfigureAwait(false);
        return [.. found.OfType<JobInfo>()];
    }

    /// <summary>The job, or a <see cref="NotFoundException"/>.</summary>
    public static async Task<JobInfo> GetJobAsync(IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return await grains.GetJob(name).GetAsync().ConfigureAwait(false)
            ?? throw new NotFoundException($"no job named '{name}'");
    }

    /// <summary>The task, or a <see cref="NotFoundException"/>.</summary>
    public static async Task<TaskInfo> GetTaskAsync(IGrainFactory grains, string id)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return await grains.GetGrain<ITaskGrain>(id).GetAsync().ConfigureAwait(false)
            ?? throw new NotFoundException($"no task named '{id}'");
    }

    /// <summary>The task, which must have been placed (so its node holds its output), for reading its logs.</summary>
    public static async Task<TaskInfo> GetPlacedTaskAsync(IGrainFactory grains, string id)
    {
        var task = await GetTaskAsync(grains, id).ConfigureAwait(false);
        return task.Node is null
            ? throw new ConflictException($"task {id} has no container: it was never placed ({task.Reason})")
            : task;
    }

    /// <summary>The tasks with these ids that exist, newest first.</summary>
    public static async Task<IReadOnlyList<TaskInfo>> GetTasksAsync(IGrainFactory grains, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var tasks = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync())).ConfigureAwait(false);
        return [.. tasks.OfType<TaskInfo>().OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The tasks <paramref name="query"/> selects of the job named <paramref name="job"/> (which must exist), or of every
    /// job when null, as each job lists them (<see cref="IJobGrain.ListTasksAsync"/>); newest first.
    /// </summary>
    public static async Task<IReadOnlyList<TaskSummary>> ListTasksAsync(IGrainFactory grains, string? job, TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(grains);
        IReadOnlyList<string> names = job is null
            ? await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync().ConfigureAwait(false)
            : [(await GetJobAsync(grains, job).ConfigureAwait(false)).Name];
        return await ListTasksAsync(grains, names.Select(name => KeyValuePair.Create(name, query))).ConfigureAwait(false);
    }

    /// <summary>The tasks each job lists for its own query, job name → query; newest first.</summary>
    public static async Task<IReadOnlyList<TaskSummary>> ListTasksAsync(IGrainFactory grains, IEnumerable<KeyValuePair<string, TaskQuery>> queries)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(queries);
        var lists = await Task.WhenAll(queries.Select(q => grains.GetJob(q.Key).ListTasksAsync(q.Value))).ConfigureAwait(false);
        return TaskSummary.NewestFirst(lists.SelectMany(tasks => tasks));
    }

    /// <summary>Every event of the job named <paramref name="job"/> (which must exist), or of every job when null; oldest first.</summary>
    public static async Task<IReadOnlyList<EventRow>> GetEventsAsync(IGrainFactory grains, string? job) =>
        EventRow.Of(await ListTasksAsync(grains, job, TaskQuery.All with { Events = true }).ConfigureAwait(false));

    /// <summary>Where the live replicas of the job named <paramref name="job"/> (which must exist) are reached (<see cref="EndpointSet"/>).</summary>
    public static async Task<IReadOnlyList<EndpointRow>> GetEndpointsAsync(IGrainFactory grains, string job)
    {
        var info = await GetJobAsync(grains, job).ConfigureAwait(false);
        var tasks = await GetTasksAsync(grains, info.LiveTaskIds).ConfigureAwait(false);
        return EndpointSet.Of(tasks, await ListNodesAsync(grains).ConfigureAwait(false));
    }

    /// <summary>Every node the directory knows, by name.</summary>
    public static async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var nodes = await grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
        return [.. nodes.OrderBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>The node as the directory lists it, or a <see cref="NotFoundException"/>.</summary>
    public static async Task<NodeInfo> GetNodeAsync(IGrainFactory grains, string name)
    {
        var nodes = await ListNodesAsync(grains).ConfigureAwait(false);
        return nodes.FirstOrDefault(n => n.Name == name)
            ?? throw new NotFoundException($"no node named '{name}'");
    }
}
