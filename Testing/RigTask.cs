namespace Orchestrator.Testing;

/// <summary>One row of <c>orch ps --json</c>, as the rig tests read it.</summary>
internal sealed record RigTask(string Id, string Job, int Slot, string State, string? Node, string? Reason, int HostPort);
