using System.CommandLine;
using System.Globalization;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orch drain NODE [--deadline S | --force]</c> (no new placement, tasks moved off) and <c>orch uncordon NODE</c>
/// (placement allowed again): the same command around a different node grain call.
/// </summary>
internal static class NodeStatusCommand
{
    public static Command Drain(CommandRunner runner)
    {
        var deadline = new Option<int>("--deadline")
        {
            Description = "Seconds until the tasks not yet moved are stopped anyway (default 3600).",
            DefaultValueFactory = _ => (int)INodeGrain.DefaultDrainDeadline.TotalSeconds,
        };
        var force = new Option<bool>("--force") { Description = "Stop every task at once instead of replacing it first." };
        var command = Create(runner, "drain", """
            Marks a node Draining: nothing new is placed on it and its tasks move to other nodes the way
            a rolling update moves them: each job starts a replacement elsewhere (update.maxParallel at a
            time) and stops the drained replica once the replacement is Running and healthy. Tasks still
            on the node at the deadline (no room elsewhere) are stopped then. orch uncordon undoes it.

            Examples:
              orch drain node-b
              orch drain node-b --deadline 600
              orch drain node-b --force
            """, parse =>
            {
                var seconds = parse.GetValue(force) ? 0 : parse.GetValue(deadline);
                return seconds < 0
                    ? throw CommandFailedException.BadInput(string.Create(CultureInfo.InvariantCulture, $"--deadline must be 0 or more seconds (got {seconds})"))
                    : node => node.DrainAsync(TimeSpan.FromSeconds(seconds));
            });
        command.Options.Add(deadline);
        command.Options.Add(force);
        return command;
    }

    public static Command Uncordon(CommandRunner runner) => Create(runner, "uncordon", """
        Marks a drained node Ready again, so tasks may be placed on it. Tasks already moved
        elsewhere stay where they are.

        Example:
          orch uncordon node-b
        """, _ => node => node.UncordonAsync());

    /// <summary>A command whose <paramref name="change"/> reads its options (and refuses bad ones) before any call.</summary>
    private static Command Create(CommandRunner runner, string verb, string description, Func<ParseResult, Func<INodeGrain, Task>> change)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var node = new Argument<string>("NODE") { Description = "The node's name, as orch nodes shows it." };
        var command = new Command(verb, description) { node };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(node), change(parse)));
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
