namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>A replica slot: the task that fills it, and the new task started beside it (surge) while it is being replaced.</summary>
public sealed record RolloutSlot(int Slot, RolloutTask? Current, RolloutTask? Surge);
