using System.CommandLine;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

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
        var tasks = await context.CallAsync(client => ClusterReader.ListTasksAsync(client, job, all ? TaskQuery.All : TaskQuery.Live)).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(tasks.Select(TaskRow.From).ToList());
        }
        else
        {
            context.Ansi.Write(TaskTable.Render(tasks, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }
}
