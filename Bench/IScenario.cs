namespace Orchestrator.Bench;

/// <summary>One benchmark: sets up what it needs, measures, and removes everything it made, also when cancelled.</summary>
internal interface IScenario
{
    Task<BenchReport> RunAsync(CancellationToken cancellationToken);
}
