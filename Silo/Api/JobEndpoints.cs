using System.Security.Claims;
using System.Text.Json;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>Jobs: the calls and shapes of <c>orch run</c>, <c>inspect</c>, <c>history</c>, <c>rollback</c>, <c>scale</c>, <c>stop</c> and <c>plan</c>.</summary>
internal static class JobEndpoints
{
    /// <summary>A scale request is one small object; anything larger is not one.</summary>
    private const int MaxScaleBodyBytes = 1024;

    public static void Map(RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("jobs");
        jobs.MapGet("/", ListAsync)
            .WithName("listJobs").WithSummary("Every job: its status, replicas and live tasks.")
            .Produces<IReadOnlyList<JobSummary>>();
        jobs.MapPost("/", SubmitAsync)
            .WithName("submitJob").WithSummary("Submits a job file (orch run): a job of the same name is replaced.")
            .RequireAuthorization(ApiRoles.Operate)
            .Accepts<JobSpec>("application/json").Produces<RunDocument>().ProducesInvalid();
        jobs.MapGet("/{name}", GetAsync)
            .WithName("getJob").WithSummary("The job with its spec and tasks (orch inspect NAME); env values are *** unless the token is admin.")
            .Produces<JobDocument>().ProducesNotFound();
        jobs.MapGet("/{name}/history", HistoryAsync)
            .WithName("jobHistory").WithSummary("Every task the job still remembers, live and ended, newest first.")
            .Produces<IReadOnlyList<TaskRow>>().ProducesNotFound();
        jobs.MapGet("/{name}/versions", VersionsAsync)
            .WithName("jobVersions").WithSummary("The versions the job keeps, newest first, with how each rollout went (orch history NAME).")
            .Produces<IReadOnlyList<HistoryRow>>().ProducesNotFound();
        jobs.MapPost("/{name}/rollback", RollbackAsync)
            .WithName("rollbackJob").WithSummary("Rolls out the spec of version ?to=N (default: the one before the latest) as a new version (orch rollback).")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<IReadOnlyList<HistoryRow>>().ProducesInvalid().ProducesNotFound();
        jobs.MapPost("/{name}/scale", ScaleAsync)
            .WithName("scaleJob").WithSummary("Sets the replica count (orch scale); the body is {\"replicas\": N}.")
            .RequireAuthorization(ApiRoles.Operate)
            .Accepts<ScaleRequest>("application/json").Produces<JobSummary>().ProducesInvalid().ProducesNotFound();
        jobs.MapPost("/{name}/stop", StopAsync)
            .WithName("stopJob").WithSummary("Stops every task of the job and removes their containers (orch stop).")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<JobSummary>().ProducesNotFound();
        api.MapPost("/plan", PlanAsync)
            .WithTags("jobs")
            .WithName("planJob").WithSummary("Dry run of a job file (orch plan): where each replica would go, changing nothing.")
            .Accepts<JobSpec>("application/json").Produces<PlanDocument>().ProducesInvalid();
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var jobs = await ClusterReader.ListJobsAsync(grains);
        return Results.Ok(jobs.OrderBy(j => j.Name, StringComparer.Ordinal).Select(JobSummary.From).ToList());
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, IGrainFactory grains)
    {
        var spec = await ApiBody.ReadJobAsync(request);
        var job = await grains.GetJob(spec.Name).SubmitAsync(spec);
        var tasks = await ClusterReader.GetTasksAsync(grains, job.LiveTaskIds);
        return Results.Ok(new RunDocument(job.Name, [.. tasks.Select(TaskRow.From)]));
    }

    private static async Task<IResult> GetAsync(string name, IGrainFactory grains, ClaimsPrincipal user)
    {
        var job = await ClusterReader.GetJobAsync(grains, name);
        var tasks = await grains.GetJob(name).ListTasksAsync(TaskQuery.All);
        var shown = user.IsInRole(ApiRoles.Admin) ? job : EnvRedaction.Redact(job);
        return Results.Ok(JobDocument.From(shown, tasks.Select(TaskRow.From)));
    }

    private static async Task<IResult> HistoryAsync(string name, IGrainFactory grains)
    {
        var tasks = await ClusterReader.ListTasksAsync(grains, name, TaskQuery.All);
        return Results.Ok(tasks.Select(TaskRow.From).ToList());
    }

    private static async Task<IResult> VersionsAsync(string name, IGrainFactory grains) =>
        Results.Ok(HistoryRow.Of(await ClusterReader.GetJobAsync(grains, name)));

    private static async Task<IResult> RollbackAsync(string name, string? to, IGrainFactory grains) =>
        Results.Ok(HistoryRow.Of(await ClusterActions.RollbackAsync(grains, name, ApiQuery.Number(to, "to"))));

    private static async Task<IResult> ScaleAsync(string name, HttpRequest request, IGrainFactory grains)
    {
        var replicas = ReadReplicas(await ApiBody.ReadTextAsync(request, MaxScaleBodyBytes));
        if (ClusterActions.ReplicaCountError(replicas) is { } error)
        {
            return ApiErrors.Invalid(error);
        }
        return Results.Ok(JobSummary.From(await ClusterActions.ScaleAsync(grains, name, replicas)));
    }

    private static async Task<IResult> StopAsync(string name, IGrainFactory grains) =>
        Results.Ok(JobSummary.From(await ClusterActions.StopAsync(grains, name)));

    private static async Task<IResult> PlanAsync(HttpRequest request, IGrainFactory grains)
    {
        var spec = await ApiBody.ReadJobAsync(request);
        return Results.Ok(PlanDocument.From(await grains.GetGrain<ISchedulerGrain>(0).PlanAsync(spec)));
    }

    private static int ReadReplicas(string body)
    {
        try
        {
            if (JsonSerializer.Deserialize<ScaleRequest>(body, JobSpecParser.Options) is { Replicas: { } replicas })
            {
                return replicas;
            }
        }
        catch (JsonException)
        {
            // Answered below, as a missing count is: the body is not a scale request.
        }
        throw new InvalidInputException(new SpecError("replicas", $"is required: the body is {{\"replicas\": N}}, N from 0 to {SpecLimits.MaxReplicas}"));
    }
}
