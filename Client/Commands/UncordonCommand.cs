using Orchestrator.Abstractions;
using System.CommandLine;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch uncordon NODE</c>: allows placement on the node again.</summary>
internal static class UncordonCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var node = new Argument<string>("NODE") { Description = "The node's name, as orch nodes shows it." };
        var command = new Command("uncordon", """
            Marks a drained node Ready again, so tasks may be placed on it. Tasks already moved
            elsewhere stay where they are.

            Example:
              orch uncordon node-b
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
        await grain.UncordonAsync().ConfigureAwait(false);
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
