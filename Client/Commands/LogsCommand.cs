using Orchestrator.Abstractions;
using System.CommandLine;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orch logs ID [-f]</c>: the task's container output, streamed from the node that owns it. With
/// -f it follows the task through its restarts (each new container from its start) until the task
/// ends or Ctrl-C.
/// </summary>
internal static class LogsCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = new Argument<string>("ID") { Description = "A task id, as orch ps shows it." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the task ends or Ctrl-C." };
        var command = new Command("logs", """
            Prints a task's container output: its stdout on stdout and its stderr on stderr. Works for a
            task that has ended, as long as its job has not been stopped (stopping removes containers).
            With --json: one {stream, text} object per line, on stdout.

            Examples:
              orch logs web-0-k3x9qa
              orch logs web-0-k3x9qa -f
            """)
        {
            id,
            follow,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(id), parse.GetValue(follow)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string id, bool follow)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        var client = connection.Client;
        var task = await client.GetGrain<ITaskGrain>(id).GetAsync().ConfigureAwait(false)
            ?? throw CommandFailedException.NotFound($"no task named '{id}'");
        if (task.Node is not { } node)
        {
            throw CommandFailedException.Failed($"task {id} has no container: it was never placed ({task.Reason})");
        }
        try
        {
            while (true)
            {
                var followed = task.ContainerId;
                await foreach (var chunk in client.GetNode(node).LogsAsync(task.Id, follow, context.CancellationToken).ConfigureAwait(false))
                {
                    Write(context, chunk);
                }
                if (!follow || await NextContainerAsync(client, task.Id, followed, context.CancellationToken).ConfigureAwait(false) is not { } next)
                {
                    return ExitCodes.Ok;
                }
                task = next;
            }
        }
        catch (KeyNotFoundException e)
        {
            throw CommandFailedException.NotFound(e.Message);
        }
        catch (OperationCanceledException) when (follow && context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how a follow ends.
            return ExitCodes.Ok;
        }
    }

    /// <summary>After a followed container stopped: the task running its next container, or null when the task ended.</summary>
    private static async Task<TaskInfo?> NextContainerAsync(IClusterClient client, string id, string? followed, CancellationToken cancellationToken)
    {
        while (true)
        {
            var task = await client.GetGrain<ITaskGrain>(id).GetAsync().ConfigureAwait(false);
            if (task is null || TaskTransitions.IsTerminal(task.State))
            {
                return null;
            }
            if (task is { State: TaskState.Running } && task.ContainerId != followed)
            {
                return task;
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Write(CommandContext context, LogChunk chunk)
    {
        if (context.Json)
        {
            JsonLines.Write(context.Console.Out, new LogRow(chunk.Source, chunk.Text));
            return;
        }
        var writer = chunk.Source == LogSource.Stderr ? context.Console.Error : context.Console.Out;
        writer.Write(chunk.Text);
        writer.Flush();
    }
}
