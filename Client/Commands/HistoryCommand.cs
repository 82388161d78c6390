using System.CommandLine;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch history NAME</c>: the job's versions, newest first, with how each rollout went.</summary>
internal static class HistoryCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = new Argument<string>("NAME") { Description = "The job's name." };
        var command = new Command("history", """
            Lists the versions a job keeps (its last 10), newest first: each accepted change of its tasks is
            a new version. Status is current, rolling, superseded, failed or reverted.

            Examples:
              orch history web
              orch history web --json
            """)
        {
            name,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(name)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name)
    {
        var job = await context.CallAsync(client => ClusterReader.GetJobAsync(client, name)).ConfigureAwait(false);
        var rows = HistoryRow.Of(job);
        if (context.Json)
        {
            context.WriteJson(rows);
        }
        else
        {
            context.Ansi.Write(HistoryTable.Render(rows, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }
}
