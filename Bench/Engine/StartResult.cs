namespace Orchestrator.Bench.Engine;

/// <summary>Seconds until all containers ran, as the starter defines it, and the engine's own account.</summary>
internal sealed record StartResult(double Seconds, EngineTimeline Engine, DateTimeOffset Began)
{
    /// <summary>From the start of the action to the engine's first create: time spent before the engine saw anything.</summary>
    public double FirstCreateSeconds => Engine.FirstCreate is { } first ? (first - Began).TotalSeconds : double.NaN;
}
