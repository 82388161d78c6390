namespace Orchestrator.Grains.Telemetry;

/// <summary>How many tasks of a job are in one state.</summary>
public sealed record TaskCount(string Job, string State, int Count);
