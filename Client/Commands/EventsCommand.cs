using Orchestrator.Abstractions;
using System.CommandLine;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;

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
        var events = await context.CallAsync(client => ReadAsync(client, job)).ConfigureAwait(false);
        if (!follow)
        {
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

        var printed = new HashSet<EventRow>();
        try
        {
            while (true)
            {
                // Rows are records: an event already printed compares equal when it is read again, also after a retry.
                foreach (var row in events.Where(printed.Add))
                {
                    if (context.Json)
                    {
                        JsonLines.Write(context.Console.Out, row);
                    }
                    else
                    {
                        context.WriteLine(row.ToLine());
                    }
                }
                await Task.Delay(PollInterval, context.CancellationToken).ConfigureAwait(false);
                events = await context.CallAsync(client => ReadAsync(client, job)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how a follow ends.
            return ExitCodes.Ok;
        }
    }

    private static async Task<IReadOnlyList<EventRow>> ReadAsync(IClusterClient client, string? job)
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
        IReadOnlyList<TaskInfo> tasks = await ClusterLookup.GetTasksAsync(client, jobs.SelectMany(j => j.TaskIds)).ConfigureAwait(false);
        return EventRow.Of(tasks);
    }
}
