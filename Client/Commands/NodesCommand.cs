using System.CommandLine;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Client.Output;

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
        var nodes = await context.CallAsync(client => client.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ListAsync()).ConfigureAwait(false);
        var sorted = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (context.Json)
        {
            context.WriteJson(sorted.Select(NodeRow.From).ToList());
        }
        else
        {
            context.Ansi.Write(NodeTable.Render(sorted, DateTimeOffset.UtcNow));
        }
        return ExitCodes.Ok;
    }
}
