using System.CommandLine;
using System.Globalization;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch run -f FILE [--wait] [--timeout S]</c>: submits a job, optionally waiting until it runs.</summary>
internal static class RunCommand
{
    private const int DefaultTimeoutSeconds = 120;

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var file = JobFileOption.Create();
        var wait = new Option<bool>("--wait", "-w") { Description = "Show each replica's progress until all are Running (a batch job: all Completed) (exit 0), or one Failed for good or could not pull its image (exit 1)." };
        var timeout = new Option<int>("--timeout")
        {
            Description = "With --wait: give up after this many seconds (exit 1). Also how long a cluster that fails on the way (a silo dying) is retried.",
            HelpName = "S",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
        };
        var command = new Command("run", """
            Submits a job from a job file. The file is checked before it is sent (exit 2 when invalid);
            a job of the same name is replaced and the cluster converges to the new spec.

            Examples:
              orch run -f web.json
              orch run -f web.json --wait --timeout 60
            """)
        {
            file,
            wait,
            timeout,
        };
        runner.Bind(
            command,
            (context, parse) => RunAsync(context, parse.GetRequiredValue(file), parse.GetValue(wait), parse.GetValue(timeout)),
            parse => TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string file, bool wait, int timeoutSeconds)
    {
        if (timeoutSeconds <= 0)
        {
            throw CommandFailedException.BadInput(string.Create(CultureInfo.InvariantCulture, $"--timeout must be a positive number of seconds (got {timeoutSeconds})"));
        }
        var spec = await JobFile.ReadAsync(file, context.CancellationToken).ConfigureAwait(false);
        // Submitting is idempotent by name: a retry of a submission that did arrive submits the same spec again, which changes nothing.
        var (job, tasks) = await context.CallAsync(async client =>
        {
            var submitted = await client.GetJob(spec.Name).SubmitAsync(spec).ConfigureAwait(false);
            return (submitted, wait ? Array.Empty<TaskInfo>() : await ClusterReader.GetTasksAsync(client, submitted.LiveTaskIds).ConfigureAwait(false));
        }).ConfigureAwait(false);
        if (job.Spec.Schedule is { } schedule)
        {
            // A scheduled job has no tasks to wait for: its runs are jobs of their own, each followed like any job.
            if (context.Json)
            {
                context.WriteJson(new RunDocument(job.Name, []));
            }
            else
            {
                context.WriteLine($"job {job.Name} scheduled: \"{schedule}\" (UTC); each run is a job {job.Name}-YYYYMMDDHHMM");
            }
            return ExitCodes.Ok;
        }
        if (!wait)
        {
            if (context.Json)
            {
                context.WriteJson(new RunDocument(job.Name, [.. tasks.Select(TaskRow.From)]));
            }
            else
            {
                context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job {job.Name} submitted: {job.Spec.Replicas} replicas"));
                context.Ansi.Write(TaskTable.Render(tasks.Select(TaskSummary.Of), DateTimeOffset.UtcNow));
            }
            return ExitCodes.Ok;
        }

        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        // A submission that made a new version of a job with earlier ones rolls out: the wait follows that version.
        // A batch job is followed to its outcome instead.
        int? rollout = !job.Spec.IsBatch && job.Versions is [.., { Number: > 1, Status: JobVersionStatus.Rolling } latest] ? latest.Number : null;
        var last = await WaitAsync(context, job.Name, rollout, timeout).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(new RunDocument(job.Name, [.. last.LiveTasks.Select(TaskRow.From)]));
        }
        if (last.Failed is { } failed)
        {
            throw CommandFailedException.Failed($"task {failed.Id} failed: {failed.Reason ?? "no reason given"}");
        }
        if (last.BatchFailure is { } batchFailure)
        {
            throw CommandFailedException.Failed(batchFailure);
        }
        if (last.PullFailed is { } waiting)
        {
            throw CommandFailedException.Failed($"task {waiting.Id} could not pull its image (it tries again): {waiting.PullFailure}");
        }
        if (last.RolloutFailure is { } failure)
        {
            throw CommandFailedException.Failed(failure);
        }
        if (!last.AllRunning)
        {
            throw CommandFailedException.Failed(string.Create(CultureInfo.InvariantCulture, $"timed out after {timeoutSeconds} s: {(rollout is not null
                ? WaitProgressTable.Summary(last)
                : last.IsBatch ? $"{last.Completed}/{last.Replicas} completed" : $"{last.Running}/{last.Replicas} running")}"));
        }
        return ExitCodes.Ok;
    }

    private static async Task<WaitSnapshot> WaitAsync(CommandContext context, string job, int? rollout, TimeSpan timeout)
    {
        if (context.Json)
        {
            return await ReplicaWait.PollAsync(context, job, rollout, timeout, _ => { }).ConfigureAwait(false);
        }
        if (!context.Console.IsTerminal)
        {
            var progress = new PlainProgress(context.Console.Out);
            return await ReplicaWait.PollAsync(context, job, rollout, timeout, progress.Report).ConfigureAwait(false);
        }
        return await context.Ansi.Live(new Text($"job {job}: submitting"))
            .StartAsync(live => ReplicaWait.PollAsync(
                context,
                job,
                rollout,
                timeout,
                snapshot =>
                {
                    live.UpdateTarget(WaitProgressTable.Render(snapshot));
                    live.Refresh();
                }))
            .ConfigureAwait(false);
    }
}
