using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Tasks;

namespace Orchestrator.Silo.Dashboard;

/// <summary>
/// Lets the Orleans dashboard's grain-state view ask only for grains that exist: a job, node or task the cluster
/// knows of, or one of its directories. Left alone, the view activates a grain for any id it is given (and a
/// stored, empty state row follows for some), so anyone who may read could fill the cluster with grains.
/// </summary>
internal static class GrainStateGate
{
    public const string Route = "/GrainState";

    /// <summary>Answers 404 for a grain-state request naming a grain that does not exist; passes every other request.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.Value!.EndsWith(Route, StringComparison.OrdinalIgnoreCase))
        {
            return await next(context);
        }
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var type = http.Request.Query["grainType"].ToString();
        var key = http.Request.Query["grainId"].ToString();
        return await ExistsAsync(grains, type, key)
            ? await next(context)
            : Results.NotFound($"no {type} grain '{key}' exists");
    }

    private static async Task<bool> ExistsAsync(IGrainFactory grains, string type, string key)
    {
        if (type == typeof(JobGrain).FullName)
        {
            return await JobExistsAsync(grains, GrainKeys.JobName(key));
        }
        if (type == typeof(TaskGrain).FullName)
        {
            return JobOf(key) is { } job
                && await JobExistsAsync(grains, job)
                && await grains.GetJob(job).GetAsync() is { } info
                && info.TaskIds.Contains(key, StringComparer.Ordinal);
        }
        if (type == typeof(NodeGrain).FullName)
        {
            var name = GrainKeys.NodeName(key);
            var nodes = await grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync();
            return nodes.Any(n => n.Name == name);
        }
        return (type == typeof(JobDirectoryGrain).FullName && key == IJobDirectoryGrain.Key)
            || (type == typeof(NodeDirectoryGrain).FullName && key == INodeDirectoryGrain.Key);
    }

    private static async Task<bool> JobExistsAsync(IGrainFactory grains, string name) =>
        (await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync()).Contains(name, StringComparer.Ordinal);

    // A task id is JOB-SLOT-SUFFIX, and a job name may itself hold dashes.
    private static string? JobOf(string taskId)
    {
        var suffix = taskId.LastIndexOf('-');
        var slot = suffix > 0 ? taskId.LastIndexOf('-', suffix - 1) : -1;
        return slot > 0 ? taskId[..slot] : null;
    }
}
