using Orchestrator.Abstractions;
using System.CommandLine;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch drain NODE</c>: stops new placement on the node and moves its tasks off.</summary>
internal static class DrainCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var node = new Argument<string>("NODE") { Description = "The node's name, as orch nodes shows it." };
        var command = new Command("drain", """
            Marks a node Draining: nothing new is placed on it and its tasks are moved to other nodes.
            orch uncordon undoes it.

            Example:
              orch drain node-b
            """)
        {
            node,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(node)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await ClusterLookup.GetNodeAsync(connection.Client, name).ConfigureAwait(false);
        var grain = connection.Client.GetNode(name);
        await grain.DrainAsync().ConfigureAwait(false);
        var info = await grain.GetInfoAsync().ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(NodeRow.From(info));
        }
        else
        {
            context.WriteLine($"node {info.Name} is {info.Status}");
        }
        return ExitCodes.Ok;
    }
}
