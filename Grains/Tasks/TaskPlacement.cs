using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Tasks;

/// <summary>
/// Places a Pending task: on the node its job's plan chose, without ranking again, or else down the scheduler's
/// ranking, reserving on each candidate until one accepts (the node has the last word). Placed, the task is
/// Scheduled there and its node starts its container; placed nowhere, it records every node's reason and waits
/// for its next retry.
/// </summary>
/// <param name="journal">The task's record and transitions.</param>
/// <param name="timers">The task's timers, which retry placement.</param>
/// <param name="container">Starts the placed task's container.</param>
/// <param name="grains">To reach the scheduler and the nodes.</param>
/// <param name="metrics">Placements, refusals and unplaced attempts.</param>
/// <param name="logger">The task grain's logger.</param>
public sealed partial class TaskPlacement(TaskJournal journal, TaskTimers timers, TaskContainer container, IGrainFactory grains, OrchestratorMetrics metrics, ILogger logger)
{
    // Where the job's plan put this task; in memory only, for its first placement attempt.
    private PlannedPlacement? _planned;
    // The span of the call that created this task (its job's submission); its placement runs on a timer, outside it.
    private ActivityContext _origin;

    /// <summary>Starts placing a task just created by the call of <paramref name="origin"/>, on its <paramref name="planned"/> node first.</summary>
    public void Begin(PlannedPlacement? planned, ActivityContext origin)
    {
        _planned = planned;
        _origin = origin;
        timers.RetryPlacement();
    }

    public async Task PlaceAsync()
    {
        if (journal.Info is not { State: TaskState.Pending, Spec: { } spec } info)
        {
            return;
        }
        using var span = OrchestratorTracing.Source.StartActivity("place task", ActivityKind.Internal, _origin)?.SetTag("orch.job", info.Job).SetTag("orch.task", info.Id);
        var reservation = Ledger.For(info.Id, info.Job, spec);
        if (_planned is { Explanation: var plan } planned && !info.ExcludedNodes.Contains(planned.Node))
        {
            // The job's plan ranked every node for this replica already: its node is asked first, without ranking again.
            _planned = null;
            if (plan.Candidates.FirstOrDefault(c => c.Node == planned.Node) is { } chosen)
            {
                if ((await ReserveOnAsync(planned.Node, reservation)).Accepted)
                {
                    await PlacedAsync(chosen, plan);
                    return;
                }
                metrics.Refused();
            }
        }
        var scheduler = grains.GetGrain<ISchedulerGrain>(0);
        var ranking = await scheduler.RankAsync(new PlacementRequest(info.Id, spec, info.ExcludedNodes));
        var refusals = new List<NodeRejection>();
        foreach (var candidate in ranking.Candidates)
        {
            var result = await ReserveOnAsync(candidate.Node, reservation);
            if (result.Accepted)
            {
                var explanation = ranking with { ChosenNode = candidate.Node, Rejections = ranking.Rejections.Concat(refusals).ToArray() };
                await PlacedAsync(candidate, explanation.Condensed(TaskGrain.KeptPlacementDetails));
                return;
            }
            metrics.Refused();
            refusals.Add(result.RejectionOn(candidate.Node));
        }

        var unplaced = (ranking with { Rejections = ranking.Rejections.Concat(refusals).ToArray(), Candidates = Array.Empty<NodeScore>() }).Condensed(TaskGrain.KeptPlacementDetails);
        var reason = $"no node fits: {unplaced.Summary()}";
        metrics.Unplaced();
        if (info.Reason != reason || !SameRejections(info.Placement, unplaced))
        {
            // Only a changed reason is written: a task waiting for capacity should not rewrite its row every retry.
            journal.Record = journal.Record with { Info = info with { Reason = reason, Placement = unplaced } };
            await journal.WriteAsync();
            LogUnplaced(info.Id, reason);
        }
    }

    private async Task<ReservationResult> ReserveOnAsync(string node, Reservation reservation)
    {
        using var span = OrchestratorTracing.Source.StartActivity("reserve")?.SetTag("orch.node", node);
        try
        {
            return await grains.GetNode(node).ReserveAsync(reservation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ReservationResult.Refused(RejectionReasons.NodeUnreachable, $"{RejectionReasons.NodeUnreachable}: {e.Message}");
        }
    }

    private async Task PlacedAsync(NodeScore chosen, PlacementExplanation explanation)
    {
        timers.StopPlacementAndRestart();
        var reason = $"placed on {chosen.Node} by {explanation.Scheduler} (score {chosen.Score:0.###}; {explanation.Summary()})";
        metrics.Placed(DateTimeOffset.UtcNow - journal.Info!.CreatedAt);
        await journal.TransitionAsync(TaskState.Scheduled, reason, i => i with { Node = chosen.Node, Placement = explanation });
        await container.StartAsync(journal.Info!);
    }

    private static bool SameRejections(PlacementExplanation? before, PlacementExplanation after) =>
        before is not null && before.Rejections.Select(r => r.Detail).SequenceEqual(after.Rejections.Select(r => r.Detail));

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} waits for a node: {Reason}")]
    private partial void LogUnplaced(string taskId, string reason);
}
