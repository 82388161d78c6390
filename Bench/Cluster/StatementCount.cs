namespace Orchestrator.Bench.Cluster;

/// <summary>One normalised statement of pg_stat_statements since the last reset.</summary>
/// <param name="Text">The statement, whitespace collapsed and cut short.</param>
/// <param name="Calls">How often it ran.</param>
/// <param name="Milliseconds">Time the server spent executing it, all calls together.</param>
/// <param name="Rows">Rows it returned or changed, all calls together.</param>
internal sealed record StatementCount(string Text, long Calls, double Milliseconds, long Rows);
