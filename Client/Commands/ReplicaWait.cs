using System.Diagnostics;
using Orchestrator.Operations.Cluster;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Polls a job and its live tasks until every replica runs, one fails, or the time is up; while a new version rolls
/// out, until that version is current, failed or rolled back; for a batch job, until it succeeded or failed.
/// </summary>
internal static class ReplicaWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>Reports every snapshot and returns the last one: all running, one failed, or timed out.</summary>
    public static async Task<WaitSnapshot> PollAsync(CommandContext context, string job, int? rolloutVersion, TimeSpan timeout, Action<WaitSnapshot> report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (info, tasks) = await context.CallAsync(async client =>
            {
                var current = await ClusterReader.GetJobAsync(client, job).ConfigureAwait(false);
                return (current, await ClusterReader.GetTasksAsync(client, current.LiveTaskIds).ConfigureAwait(false));
            }).ConfigureAwait(false);
            var snapshot = new WaitSnapshot(info, [.. tasks.OrderBy(t => t.Slot)], clock.Elapsed, rolloutVersion);
            report(snapshot);
            if (snapshot.Failed is not null || snapshot.BatchFailure is not null || snapshot.PullFailed is not null || snapshot.RolloutFailure is not null || snapshot.AllRunning || clock.Elapsed >= timeout)
            {
                return snapshot;
            }
            await Task.Delay(PollInterval, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
