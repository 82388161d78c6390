using Orchestrator.Abstractions;
using System.CommandLine;
using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch scale NAME N</c>: sets the job's replica count.</summary>
internal static class ScaleCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = new Argument<string>("NAME") { Description = "The job's name." };
        var replicas = new Argument<int>("N") { Description = $"The replica count, 0 to {SpecLimits.MaxReplicas}." };
        var command = new Command("scale", """
            Sets a job's replica count; scaling down stops the newest replicas first.

            Example:
              orch scale web 5
            """)
        {
            name,
            replicas,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(name), parse.GetValue(replicas)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name, int replicas)
    {
        if (replicas is < 0 or > SpecLimits.MaxReplicas)
        {
            throw CommandFailedException.BadInput(string.Create(
                CultureInfo.InvariantCulture,
                $"replicas: must be an integer from 0 to {SpecLimits.MaxReplicas} (got {replicas})"));
        }
        var job = await context.CallAsync(async client =>
        {
            await ClusterLookup.GetJobAsync(client, name).ConfigureAwait(false);
            return await client.GetJob(name).ScaleAsync(replicas).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(JobSummary.From(job));
        }
        else
        {
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job {job.Name} scaled to {job.Spec.Replicas} replicas"));
        }
        return ExitCodes.Ok;
    }
}
