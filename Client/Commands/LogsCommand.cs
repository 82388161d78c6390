using System.CommandLine;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Connection;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

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
        var task = await context.CallAsync(client => ClusterReader.GetPlacedTaskAsync(client, id)).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var cursor = new LogCursor();
                // A stream that broke after copying some output resumes with a retry budget of its own.
                while (!await context.StreamAsync(client => CopyAsync(context, client, task, follow, cursor)).ConfigureAwait(false))
                {
                }
                if (!follow || await NextContainerAsync(context, task.Id, task.ContainerId).ConfigureAwait(false) is not { } next)
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

    /// <summary>
    /// Copies the output of the task's current container, from its start, leaving out what an earlier attempt already
    /// copied. True when it is all copied (or the task has moved on to another container); false when the stream
    /// broke on the way to the cluster after copying more, to be resumed.
    /// </summary>
    private static async Task<bool> CopyAsync(CommandContext context, IClusterClient client, TaskInfo task, bool follow, LogCursor cursor)
    {
        if (cursor.Attempts++ > 0 && follow)
        {
            // The container may be gone with its node: then the task's next container is what to follow.
            var now = await client.GetGrain<ITaskGrain>(task.Id).GetAsync().ConfigureAwait(false);
            if (now is null || now.ContainerId != task.ContainerId)
            {
                return true;
            }
        }
        cursor.Restart();
        var copied = false;
        try
        {
            await foreach (var chunk in client.GetNode(task.Node!).LogsAsync(task.Id, follow, context.CancellationToken).ConfigureAwait(false))
            {
                if (cursor.Unseen(chunk) is { } unseen)
                {
                    Write(context, unseen);
                    copied = true;
                }
            }
            return true;
        }
        catch (Exception e) when (copied && !context.CancellationToken.IsCancellationRequested && RetryPolicy.IsTransient(e))
        {
            return false;
        }
    }

    /// <summary>After a followed container stopped: the task running its next container, or null when the task ended.</summary>
    private static async Task<TaskInfo?> NextContainerAsync(CommandContext context, string id, string? followed)
    {
        while (true)
        {
            var task = await context.CallAsync(client => client.GetGrain<ITaskGrain>(id).GetAsync()).ConfigureAwait(false);
            if (task is null || TaskTransitions.IsTerminal(task.State))
            {
                return null;
            }
            if (task is { State: TaskState.Running, Node: not null } && task.ContainerId != followed)
            {
                return task;
            }
            await Task.Delay(PollInterval, context.CancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// How much of one container's stdout and stderr has been written, so that reading its output again from the
    /// start after a broken stream writes only what is new.
    /// </summary>
    private sealed class LogCursor
    {
        private readonly Dictionary<LogSource, long> _written = [];
        private readonly Dictionary<LogSource, long> _seen = [];

        public int Attempts { get; set; }

        /// <summary>The output is being read again from the container's start.</summary>
        public void Restart() => _seen.Clear();

        /// <summary>The part of <paramref name="chunk"/> not written yet, or null when all of it was.</summary>
        public LogChunk? Unseen(LogChunk chunk)
        {
            var before = _seen.GetValueOrDefault(chunk.Source);
            var after = before + chunk.Text.Length;
            _seen[chunk.Source] = after;
            var done = _written.GetValueOrDefault(chunk.Source);
            if (after <= done)
            {
                return null;
            }
            _written[chunk.Source] = after;
            return done <= before ? chunk : chunk with { Text = chunk.Text[(int)(done - before)..] };
        }
    }
}
