using System.CommandLine;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orch drain NODE</c> (no new placement, tasks moved off) and <c>orch uncordon NODE</c> (placement
/// allowed again): the same command around a different node grain call.
/// </summary>
internal static class NodeStatusCommand
{
    public static Command Drain(CommandRunner runner) => Create(runner, "drain", """
        Marks a node Draining: nothing new is placed on it and its tasks are moved to other nodes.
        orch uncordon undoes it.

        Example:
          orch drain node-b
        """, node => node.DrainAsync());

    public static Command Uncordon(CommandRunner runner) => Create(runner, "uncordon", """
        Marks a drained node Ready again, so tasks may be placed on it. Tasks already moved
        elsewhere stay where they are.

        Example:
          orch uncordon node-b
        """, node => node.UncordonAsync());

    private static Command Create(CommandRunner runner, string verb, string description, Func<INodeGrain, Task> change)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var node = new Argument<string>("NODE") { Description = "The node's name, as orch nodes shows it." };
        var command = new Command(verb, description) { node };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(node), change));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name, Func<INodeGrain, Task> change)
    {
        var info = await context.CallAsync(client => ClusterActions.ChangeNodeAsync(client, name, change)).ConfigureAwait(false);
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
