namespace Orchestrator.Grains.Jobs.Cron;

/// <summary>What a scheduled job does now.</summary>
/// <param name="Due">The time that fell due and was not dealt with yet; null: none.</param>
/// <param name="Skip">Why <paramref name="Due"/> starts no run; null: it runs.</param>
/// <param name="Next">When the schedule falls due after now; null: never again.</param>
public sealed record CronPlan(DateTimeOffset? Due, string? Skip, DateTimeOffset? Next);
