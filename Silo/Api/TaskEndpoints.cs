using System.Security.Claims;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>Tasks: the shapes of <c>orch ps</c>, <c>orch inspect TASK</c> and <c>orch logs</c>.</summary>
internal static class TaskEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/tasks").WithTags("tasks");
        tasks.MapGet("/", ListAsync)
            .WithName("listTasks").WithSummary("Tasks, newest first (orch ps): live ones, or all with all=true; only one job's with job=NAME.")
            .Produces<IReadOnlyList<TaskRow>>().ProducesInvalid().ProducesNotFound();
        tasks.MapGet("/{id}", GetAsync)
            .WithName("getTask").WithSummary("One task with its spec, events and placement (orch inspect ID); env values are *** unless the token is admin.")
            .Produces<TaskInfo>().ProducesNotFound();
        tasks.MapGet("/{id}/logs", LogsAsync)
            .WithName("taskLogs").WithSummary("The output of the task's container as Server-Sent Events of {stream, text} (orch logs --json); follow=true keeps it open until the container stops.")
            .Produces<LogRow>(StatusCodes.Status200OK, "text/event-stream").ProducesNotFound()
            .Produces<ApiError>(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(string? job, string? all, IGrainFactory grains)
    {
        var query = ApiQuery.Flag(all, nameof(all)) ? TaskQuery.All : TaskQuery.Live;
        return Results.Ok((await ClusterReader.ListTasksAsync(grains, job, query)).Select(TaskRow.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var task = await ClusterReader.GetTaskAsync(grains, id);
        return Results.Ok(user.IsInRole(ApiRoles.Admin) ? task : EnvRedaction.Redact(task));
    }

    private static async Task<IResult> LogsAsync(string id, string? follow, IGrainFactory grains, HttpContext context)
    {
        var following = ApiQuery.Flag(follow, nameof(follow));
        var task = await ClusterReader.GetPlacedTaskAsync(grains, id);
        var chunks = grains.GetNode(task.Node!).LogsAsync(task.Id, following, context.RequestAborted);
        return ApiStreams.Of(chunks.Select(chunk => new LogRow(chunk.Source, chunk.Text)), context);
    }
}
