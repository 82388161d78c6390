using System.CommandLine;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch nodes</c>: nodes with status, capacity, allocation and task count.</summary>
internal static class NodesCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var command = new Command("nodes", """
            Lists nodes with their status (Ready, Draining, Down), capacity, allocation, task count,
            labels and measured load.

            Examples:
              orch nodes
              orch nodes --json
            """);
        runner.Bind(command, (context, _) => RunAsync(context));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context)
    {
        var nodes = await context.CallAsync(ClusterReader.ListNodesAsync).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(nodes.Select(NodeRow.From).ToList());
        }
        else
        {
            context.Ansi.Write(NodeTable.Render(nodes, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }
}
