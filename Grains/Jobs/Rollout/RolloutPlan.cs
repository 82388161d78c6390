using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>What <see cref="RolloutPlanner"/> wants changed; the job grain applies it.</summary>
public sealed record RolloutPlan
{
    /// <summary>Slots that get a new task beside their current one.</summary>
    public IReadOnlyList<int> StartSurge { get; init; } = [];
    /// <summary>Slots whose new task takes the slot over: the current task stops.</summary>
    public IReadOnlyList<int> Promote { get; init; } = [];
    /// <summary>New tasks to stop without taking their slot.</summary>
    public IReadOnlyList<SurgeStop> StopSurge { get; init; } = [];
    /// <summary>Slots whose outdated task serves nothing (not Ready): it stops and a new task takes the slot at once.</summary>
    public IReadOnlyList<int> Replace { get; init; } = [];
    public RolloutOutcome Outcome { get; init; }
    /// <summary>Why the rollout failed, or why it waits.</summary>
    public string? Reason { get; init; }
    public required RolloutProgress Progress { get; init; }
    /// <summary>
    /// Nothing the rollout waits on can change before then, unless a task ends (which its job is told of): every new
    /// task it waits on is Ready, and the first counts or is late then. Null when the job should ask its tasks again soon.
    /// </summary>
    public DateTimeOffset? QuietUntil { get; init; }
    /// <summary>
    /// The tasks the job must ask to learn what moves the rollout on: those of the version rolled out that run but have not
    /// passed their health check. A task tells its job when it runs and when it ends, and a Ready one counts by time alone,
    /// but health it does not tell, so the job's frequent look asks these alone.
    /// </summary>
    public IReadOnlyList<string> WaitsOn { get; init; } = [];

    public bool ChangesSlots => StartSurge.Count > 0 || Promote.Count > 0 || StopSurge.Count > 0 || Replace.Count > 0;
}
