namespace Orchestrator.Bench.Cluster;

/// <summary>The PostgreSQL server's counters at one moment; the difference of two is what happened between them.</summary>
/// <param name="Commits">Transactions committed in the database (pg_stat_database.xact_commit).</param>
/// <param name="WalBytes">The server's write-ahead log position in bytes: all databases, including full-page images.</param>
/// <param name="Statements">Statements run in the database since the last reset, or null without pg_stat_statements.</param>
/// <param name="CpuSeconds">CPU seconds of the server's processes, or null when the server does not run on this machine.</param>
internal sealed record PostgresSample(long Commits, decimal WalBytes, long? Statements, double? CpuSeconds)
{
    /// <summary>What happened between <paramref name="before"/> and this sample.</summary>
    public PostgresSample Since(PostgresSample before) =>
        new(Commits - before.Commits, WalBytes - before.WalBytes, Statements - before.Statements, CpuSeconds - before.CpuSeconds);
}
