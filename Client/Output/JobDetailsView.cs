using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary><c>orch inspect JOB</c>: the job's status, latest version and rollout, spec and tasks.</summary>
internal static class JobDetailsView
{
    public static void Write(IAnsiConsole console, JobInfo job, IReadOnlyList<TaskSummary> tasks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(job);
        var grid = new DetailGrid()
            .Add("Job", job.Name)
            .Add("Status", JobStatusText.Of(job))
            .Add("Live tasks", string.Create(CultureInfo.InvariantCulture, $"{job.LiveTaskIds.Count} of {job.Spec.Replicas} replicas"))
            .Add("Updated", Ages.Utc(job.UpdatedAt));
        if (job.Versions.Count > 0)
        {
            var latest = job.Versions[^1];
            grid.Add("Version", string.Create(CultureInfo.InvariantCulture, $"{latest.Number}, {latest.Status.ToString().ToLowerInvariant()}{(latest.Reason is null ? "" : $": {latest.Reason}")}"));
        }
        if (job.Rollout is { Status: JobVersionStatus.Rolling } rollout)
        {
            grid.Add("Rollout", string.Create(CultureInfo.InvariantCulture, $"{rollout.Replaced} replaced, {rollout.Healthy} healthy, {rollout.Remaining} remaining{(rollout.Reason is null ? "" : $" ({rollout.Reason})")}"));
        }
        if (job.Batch is { } batch)
        {
            grid.Add("Batch", string.Create(CultureInfo.InvariantCulture, $"{batch.Completed} of {batch.Replicas} replicas completed{(batch.FailedTask is null ? "" : $"; task {batch.FailedTask} failed: {batch.Reason}")}"));
        }
        if (job.Schedule is { } schedule)
        {
            grid.Add("Schedule", string.Create(CultureInfo.InvariantCulture, $"{job.Spec.Schedule} (UTC), concurrency {job.Spec.Concurrency ?? ConcurrencyPolicies.Forbid}"))
                .Add("Next run", schedule.Next is { } next ? Ages.Utc(next) : "none while stopped")
                .Add("Runs", schedule.Runs.Count == 0 ? "none yet" : string.Join(", ", schedule.Runs));
            if (schedule.Skipped is { } skipped && schedule.Last is { } last)
            {
                grid.Add("Skipped", $"{Ages.Utc(last)}: {skipped}");
            }
        }
        SpecSummary.AddTo(grid, job.Spec);
        grid.WriteTo(console);
        console.WriteLine();
        console.Write(TaskTable.Render(tasks, now));
    }
}
