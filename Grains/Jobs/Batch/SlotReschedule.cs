namespace Orchestrator.Grains.Jobs.Batch;

/// <summary>A batch replica slot whose task failed and is tried again on another node, with the slot's attempts after it (<see cref="SlotAttempts.TaskId"/> still to be set).</summary>
public sealed record SlotReschedule(int Slot, SlotAttempts Attempts);
