using System.CommandLine;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch inspect ID</c>: one task (tried first) or one job.</summary>
internal static class InspectCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = new Argument<string>("ID") { Description = "A task id (as orch ps shows it) or a job name." };
        var command = new Command("inspect", """
            Shows one task: its spec, state, node, container, ports, restarts, events and placement scores;
            or, for a job name, the job's spec and tasks.

            Examples:
              orch inspect web-0-k3x9qa
              orch inspect web --json
            """)
        {
            id,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(id)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string id)
    {
        var (task, job, tasks) = await context.CallAsync(client => ReadAsync(client, id)).ConfigureAwait(false);
        if (task is not null)
        {
            if (context.Json)
            {
                context.WriteJson(task);
            }
            else
            {
                TaskDetailsView.Write(context.Ansi, task);
            }
            return ExitCodes.Ok;
        }
        if (job is not null)
        {
            if (context.Json)
            {
                context.WriteJson(JobDocument.From(job, tasks.Select(TaskRow.From)));
            }
            else
            {
                JobDetailsView.Write(context.Ansi, job, tasks, DateTimeOffset.UtcNow);
            }
            return ExitCodes.Ok;
        }
        throw CommandFailedException.NotFound($"no task or job named '{id}'");
    }

    /// <summary>The task named <paramref name="id"/>; else the job of that name with its tasks; else neither.</summary>
    private static async Task<(TaskInfo? Task, JobInfo? Job, IReadOnlyList<TaskSummary> Tasks)> ReadAsync(IClusterClient client, string id)
    {
        if (await client.GetGrain<ITaskGrain>(id).GetAsync().ConfigureAwait(false) is { } task)
        {
            return (task, null, []);
        }
        if (await client.GetJob(id).GetAsync().ConfigureAwait(false) is { } job)
        {
            return (null, job, await client.GetJob(id).ListTasksAsync(TaskQuery.All).ConfigureAwait(false));
        }
        return (null, null, []);
    }
}
