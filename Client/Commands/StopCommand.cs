using System.CommandLine;
using System.Globalization;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch stop NAME</c>: stops every task of the job and removes their containers.</summary>
internal static class StopCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = new Argument<string>("NAME") { Description = "The job's name." };
        var command = new Command("stop", """
            Stops every task of a job and removes their containers. The job is kept, Stopped, with
            its tasks for the silo's Orchestrator:TaskRetention (an hour by default), then forgotten;
            orch run with its file starts it again.

            Example:
              orch stop web
            """)
        {
            name,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(name)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name)
    {
        var job = await context.CallAsync(client => ClusterActions.StopAsync(client, name)).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(JobSummary.From(job));
        }
        else
        {
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job {job.Name} stopped ({job.LiveTaskIds.Count} live tasks left)"));
        }
        return ExitCodes.Ok;
    }
}
