namespace Orchestrator.Grains.Jobs;

/// <summary>A task to stop, the slot it held, and whether the slot goes away with it (scale-down, job stop).</summary>
public sealed record TaskStop(string TaskId, int Slot, string Reason, bool FreesSlot);
