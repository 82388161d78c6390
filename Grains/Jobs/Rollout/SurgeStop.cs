namespace Orchestrator.Grains.Jobs.Rollout;

/// <summary>The new task of a slot to stop (and forget as the slot's surge), and why.</summary>
public sealed record SurgeStop(int Slot, string Reason);
