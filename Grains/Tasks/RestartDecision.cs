namespace Orchestrator.Grains.Tasks;

/// <summary>What a task does after its container ended: restart after a delay, or end Completed or Failed.</summary>
public sealed record RestartDecision(RestartOutcome Outcome, TimeSpan Delay, string Reason);
