namespace Orchestrator.Bench.Engine;

/// <summary>
/// What the engine itself reported about one start-up of N containers: when the first was created, when the last
/// was started, and how many were created but not yet started at once — the parallelism the engine actually saw.
/// </summary>
internal sealed record EngineTimeline(int Started, DateTimeOffset? FirstCreate, DateTimeOffset? LastStart, int MaxInFlight);
