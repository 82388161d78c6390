using System.CommandLine;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Discovery;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch endpoints NAME [-f]</c>: where the job's live replicas are reached, one row per published port.</summary>
internal static class EndpointsCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = new Argument<string>("NAME") { Description = "The job." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Print the whole set again whenever it changes, until Ctrl-C." };
        var command = new Command("endpoints", """
            Lists where the job's Running replicas are reached: task, node, address, published port,
            container port and whether it is healthy (Running, on a node that is not Down, and no
            health check failing). With --json: an array of {task, node, address, port, containerPort,
            healthy}; with -f --json, one such array per line, the whole set each time it changes.

            Examples:
              orch endpoints web
              orch endpoints web -f --json
            """)
        {
            name,
            follow,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetValue(name)!, parse.GetValue(follow)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string job, bool follow)
    {
        if (!follow)
        {
            var endpoints = await context.CallAsync(client => ClusterReader.GetEndpointsAsync(client, job)).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(endpoints);
            }
            else
            {
                context.Ansi.Write(EndpointTable.Render(endpoints));
            }
            return ExitCodes.Ok;
        }

        var feed = EndpointFeed.FollowAsync(() => context.CallAsync(client => ClusterReader.GetEndpointsAsync(client, job)), PollInterval, context.CancellationToken);
        return await context.FollowAsync(feed, endpoints =>
        {
            if (context.Json)
            {
                JsonLines.Write(context.Console.Out, endpoints);
            }
            else
            {
                context.WriteLine($"{Ages.Utc(DateTimeOffset.UtcNow)}  {endpoints.Count(e => e.Healthy)} of {endpoints.Count} endpoints healthy");
                context.Ansi.Write(EndpointTable.Render(endpoints));
            }
        }).ConfigureAwait(false);
    }
}
