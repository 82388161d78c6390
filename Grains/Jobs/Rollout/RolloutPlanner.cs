using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>
/// Replaces a job's outdated replicas with its latest version, making no call itself (the job grain applies the plan,
/// and asks again on every reconcile). A slot's new task starts beside the old one (surge) and takes the slot over only
/// once it counted: Ready (Running, and Healthy where checked) for <see cref="UpdateSpec.MinHealthySeconds"/>. At most
/// <see cref="UpdateSpec.MaxParallel"/> slots have a new task that has not counted yet, and an old task that is Ready is
/// stopped only when its replacement counted, so the job never has fewer Ready replicas than <c>replicas − maxParallel</c>
/// through the rollout's own doing. An outdated task that is not Ready serves nothing and is replaced in place.
/// A new task that fails, or has not counted <see cref="UpdateSpec.HealthyDeadlineSeconds"/> after it was created, fails
/// the rollout: its uncounted new tasks stop and the old ones keep running (rolled back too with autoRevert).
/// Ended slots without a new task are <see cref="JobReconciler"/>'s: restarts are the task's business.
/// </summary>
public static class RolloutPlanner
{
    public static RolloutPlan Compute(RolloutInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var minHealthy = TimeSpan.FromSeconds(input.Update.MinHealthySeconds);
        var deadline = TimeSpan.FromSeconds(input.Update.HealthyDeadlineSeconds);
        var rolling = input.Status == JobVersionStatus.Rolling;
        var active = rolling || input.Status == JobVersionStatus.Current;
        bool Counts(RolloutTask t) => !t.Ended && !t.Outdated && t.Ready && t.ReadySince is { } since && input.Now - since >= minHealthy;
        bool Late(RolloutTask t) => !t.Outdated && !Counts(t) && input.Now - t.CreatedAt > deadline;
        string LateReason(int slot, RolloutTask t) =>
            $"replica {slot} of version {input.Version} did not stay Running and Healthy for {input.Update.MinHealthySeconds} s within {input.Update.HealthyDeadlineSeconds} s of its start ({t.Reason ?? "no reason given"})";

        var startSurge = new List<int>();
        var promote = new List<int>();
        var stopSurge = new List<SurgeStop>();
        var replace = new List<int>();
        var candidates = new List<int>();
        var inFlight = new List<int>();
        string? failure = null;

        foreach (var (slot, current, surge) in input.Slots.OrderBy(s => s.Slot))
        {
            if (slot >= input.Replicas)
            {
                if (surge is not null)
                {
                    stopSurge.Add(new SurgeStop(slot, input.Replicas == 0 ? "job stopped" : $"scaled down to {input.Replicas}"));
                }
                continue;
            }
            if (surge is not null)
            {
                if (surge.Ended)
                {
                    stopSurge.Add(new SurgeStop(slot, "ended before it counted"));
                    if (rolling && !surge.Displaced && !surge.Outdated)
                    {
                        failure ??= $"replica {slot} of version {input.Version} ended: {surge.Reason ?? "no reason given"}";
                    }
                }
                else if (current is null || current.Ended || (surge.Outdated && surge.Ready && !current.Ready) || Counts(surge))
                {
                    // The slot's old task serves nothing, or its replacement counted: the new one takes the slot.
                    promote.Add(slot);
                    if (!Counts(surge) && !surge.Outdated)
                    {
                        inFlight.Add(slot);
                    }
                }
                else if (surge.Outdated)
                {
                    stopSurge.Add(new SurgeStop(slot, $"version {input.Version} replaces it"));
                }
                else if (Late(surge))
                {
                    if (rolling)
                    {
                        failure ??= LateReason(slot, surge);
                    }
                    else
                    {
                        stopSurge.Add(new SurgeStop(slot, "not healthy in time; the slot tries again"));
                    }
                }
                else
                {
                    inFlight.Add(slot);
                }
                continue;
            }
            if (current is { Ended: true, Outdated: false, Displaced: false, Completed: false } && rolling && current.Version == input.Version && !input.Batch)
            {
                failure ??= $"replica {slot} of version {input.Version} ended: {current.Reason ?? "no reason given"}";
            }
            if (current is null || current.Ended)
            {
                continue;
            }
            if (!current.Outdated)
            {
                if (current.Version == input.Version && !Counts(current))
                {
                    inFlight.Add(slot);
                    if (rolling && Late(current))
                    {
                        failure ??= LateReason(slot, current);
                    }
                }
                continue;
            }
            if (!active)
            {
                continue;
            }
            if (current.Ready)
            {
                candidates.Add(slot);
            }
            else
            {
                replace.Add(slot);
                inFlight.Add(slot);
            }
        }

        var outcome = RolloutOutcome.None;
        if (failure is not null || input.Status == JobVersionStatus.Failed)
        {
            // Stop where it is: the new tasks that did not count stop, the old replicas keep running.
            replace.Clear();
            // A new task that serves where its slot's old one does not is kept: stopping it would take a replica away.
            var slots = input.Slots.Where(s => s.Slot < input.Replicas && s.Surge is { Ended: false }).ToDictionary(s => s.Slot);
            bool Keeps(RolloutSlot s) => Counts(s.Surge!) || (s.Surge!.Ready && s.Current is not { Ready: true, Ended: false });
            promote.Clear();
            promote.AddRange(slots.Values.Where(Keeps).Select(s => s.Slot));
            stopSurge.AddRange(slots.Values.Where(s => !Keeps(s)).Select(s => new SurgeStop(s.Slot, $"the rollout of version {input.Version} failed")));
            if (failure is not null)
            {
                outcome = input.Update.AutoRevert && input.LastHealthy is not null ? RolloutOutcome.Revert : RolloutOutcome.Failed;
            }
        }
        else if (active)
        {
            startSurge.AddRange(candidates.Take(Math.Max(0, input.Update.MaxParallel - inFlight.Count)));
            // A replica that ran to completion is as done as one that counted, and so is a batch replica that failed: a
            // batch job's version rolls out too, and ends rolled out whatever its outcome.
            var done = input.Slots.Count(s => s.Slot < input.Replicas && s.Surge is null && s.Current is { } c
                && (Counts(c) || c is { Completed: true, Outdated: false } || (input.Batch && c is { Ended: true, Outdated: false, Displaced: false }))) == input.Replicas;
            if (rolling && done && startSurge.Count == 0 && replace.Count == 0)
            {
                outcome = RolloutOutcome.Healthy;
            }
        }

        var progress = Progress(input, Counts) with
        {
            Status = outcome switch
            {
                RolloutOutcome.Healthy => JobVersionStatus.Current,
                RolloutOutcome.Failed => JobVersionStatus.Failed,
                RolloutOutcome.Revert => JobVersionStatus.Reverted,
                _ => input.Status,
            },
        };
        var waiting = outcome == RolloutOutcome.None && rolling && candidates.Count > startSurge.Count
            ? $"{inFlight.Count} of update.maxParallel {input.Update.MaxParallel} replicas being replaced"
            : null;
        var plan = new RolloutPlan
        {
            StartSurge = startSurge,
            Promote = promote,
            StopSurge = stopSurge.DistinctBy(s => s.Slot).ToList(),
            Replace = replace,
            Outcome = outcome,
            Reason = failure ?? waiting,
            Progress = progress with { Reason = failure ?? waiting },
        };
        var waitedOn = WaitedOn(input, Counts);
        return plan with
        {
            QuietUntil = plan.Outcome == RolloutOutcome.None && !plan.ChangesSlots ? QuietUntil(waitedOn, minHealthy, deadline) : null,
            WaitsOn = [.. waitedOn.Where(t => t.Running && !t.Ready).Select(t => t.Id)],
        };
    }

    /// <summary>The new tasks the rollout waits on: of the version rolled out, not ended, not counted yet.</summary>
    private static List<RolloutTask> WaitedOn(RolloutInput input, Func<RolloutTask, bool> counts) =>
        input.Slots
            .Where(s => s.Slot < input.Replicas)
            .SelectMany(s => new[] { s.Surge, s.Current is { } c && c.Version == input.Version ? c : null })
            .OfType<RolloutTask>()
            .Where(t => !t.Ended && !t.Outdated && !counts(t))
            .ToList();

    /// <summary>
    /// When the rollout can next move by time alone, if every new task it waits on is Ready: the first of them to count,
    /// or to be late. Null while one is not Ready yet, since only asking the task tells when it is.
    /// </summary>
    private static DateTimeOffset? QuietUntil(List<RolloutTask> waitedOn, TimeSpan minHealthy, TimeSpan deadline)
    {
        if (waitedOn.Count == 0 || waitedOn.Any(t => t.ReadySince is null))
        {
            return null;
        }
        return waitedOn.Min(t => t.ReadySince!.Value + minHealthy < t.CreatedAt + deadline ? t.ReadySince.Value + minHealthy : t.CreatedAt + deadline);
    }

    private static RolloutProgress Progress(RolloutInput input, Func<RolloutTask, bool> counts)
    {
        var replaced = 0;
        var healthy = 0;
        foreach (var (slot, current, surge) in input.Slots)
        {
            if (slot >= input.Replicas || (surge ?? current) is not { Ended: false, Outdated: false } newest)
            {
                continue;
            }
            replaced++;
            if (counts(newest))
            {
                healthy++;
            }
        }
        return new RolloutProgress
        {
            Version = input.Version,
            Status = input.Status,
            Replaced = replaced,
            Healthy = healthy,
            Remaining = Math.Max(0, input.Replicas - replaced),
        };
    }
}
