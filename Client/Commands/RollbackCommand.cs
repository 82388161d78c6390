using System.CommandLine;
using System.Globalization;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch rollback NAME [--to VERSION]</c>: rolls out an earlier version's spec as a new version.</summary>
internal static class RollbackCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = new Argument<string>("NAME") { Description = "The job's name." };
        var to = new Option<int?>("--to") { Description = "The version whose spec to roll out (orch history lists them); default: the one before the latest." };
        var command = new Command("rollback", """
            Rolls out the spec of an earlier version as a new version, the way any update rolls out (the
            update block of that spec), keeping the current replica count.

            Examples:
              orch rollback web
              orch rollback web --to 3
            """)
        {
            name,
            to,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(name), parse.GetValue(to)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name, int? to)
    {
        var job = await context.CallAsync(client => ClusterActions.RollbackAsync(client, name, to)).ConfigureAwait(false);
        var rows = HistoryRow.Of(job);
        if (context.Json)
        {
            context.WriteJson(rows);
        }
        else
        {
            var latest = job.Versions[^1];
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job {job.Name}: version {latest.Number} rolls out ({latest.Reason ?? "rollback"})"));
            context.Ansi.Write(HistoryTable.Render(rows, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }
}
