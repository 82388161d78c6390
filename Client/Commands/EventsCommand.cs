using System.CommandLine;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch events [--job NAME] [-f]</c>: every task transition with its time and reason, oldest first.</summary>
internal static class EventsCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var job = new Option<string>("--job") { Description = "Only this job's tasks.", HelpName = "NAME" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until Ctrl-C." };
        var command = new Command("events", """
            Lists task events (every state transition, with its UTC time and reason), oldest first.
            With --json: an array of {time, task, job, from, to, reason}; with -f --json, one such
            object per line as events happen.

            Examples:
              orch events --job web
              orch events -f --json
            """)
        {
            job,
            follow,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetValue(job), parse.GetValue(follow)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string? job, bool follow)
    {
        if (!follow)
        {
            var events = await context.CallAsync(client => ClusterReader.GetEventsAsync(client, job)).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(events);
            }
            else
            {
                context.Ansi.Write(EventTable.Render(events));
            }
            return ExitCodes.Ok;
        }

        var feed = EventFeed.FollowAsync(() => context.CallAsync(client => ClusterReader.GetEventsAsync(client, job)), PollInterval, context.CancellationToken);
        return await context.FollowAsync(feed, row =>
        {
            if (context.Json)
            {
                JsonLines.Write(context.Console.Out, row);
            }
            else
            {
                context.WriteLine(EventTable.Line(row));
            }
        }).ConfigureAwait(false);
    }
}
