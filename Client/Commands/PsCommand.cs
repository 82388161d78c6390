using Orchestrator.Abstractions;
using System.CommandLine;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch ps [--job NAME] [--all]</c>: tasks, newest first.</summary>
internal static class PsCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var job = new Option<string>("--job") { Description = "Only this job's tasks.", HelpName = "NAME" };
        var all = new Option<bool>("--all", "-a") { Description = "Include ended tasks (Completed and Failed)." };
        var command = new Command("ps", """
            Lists tasks, newest first: live ones (Pending, Scheduled, Running), or all with --all.

            Examples:
              orch ps
              orch ps --job web --all --json
            """)
        {
            job,
            all,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetValue(job), parse.GetValue(all)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string? job, bool all)
    {
        var tasks = await context.CallAsync(client => ReadAsync(client, job)).ConfigureAwait(false);
        var shown = all ? tasks : [.. tasks.Where(t => !TaskTransitions.IsTerminal(t.State))];
        if (context.Json)
        {
            context.WriteJson(shown.Select(TaskRow.From).ToList());
        }
        else
        {
            context.Ansi.Write(TaskTable.Render(shown, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }

    private static async Task<IReadOnlyList<TaskInfo>> ReadAsync(IClusterClient client, string? job)
    {
        IReadOnlyList<JobInfo> jobs;
        if (job is not null)
        {
            jobs = [await ClusterLookup.GetJobAsync(client, job).ConfigureAwait(false)];
        }
        else
        {
            var names = await client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
            var found = await Task.WhenAll(names.Select(n => client.GetJob(n).GetAsync())).ConfigureAwait(false);
            jobs = [.. found.OfType<JobInfo>()];
        }
        return await ClusterLookup.GetTasksAsync(client, jobs.SelectMany(j => j.TaskIds)).ConfigureAwait(false);
    }
}
