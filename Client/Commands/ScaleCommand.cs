using System.CommandLine;
using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

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
        if (ClusterActions.ReplicaCountError(replicas) is { } error)
        {
            throw CommandFailedException.BadInput(error.ToString());
        }
        var job = await context.CallAsync(client => ClusterActions.ScaleAsync(client, name, replicas)).ConfigureAwait(false);
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
