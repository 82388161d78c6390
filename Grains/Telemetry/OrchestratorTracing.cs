using System.Diagnostics;

namespace Orchestrator.Grains.Telemetry;

/// <summary>
/// The orchestrator's spans: a submission, each task's placement, its reservation and its container's start. Grain
/// calls carry the current span to the silo they reach (Orleans' activity propagation), so one submission is one
/// trace across silos.
/// </summary>
public static class OrchestratorTracing
{
    public const string SourceName = "Orchestrator";

    public static ActivitySource Source { get; } = new(SourceName);
}
