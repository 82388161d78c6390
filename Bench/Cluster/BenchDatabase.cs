using Orchestrator.Testing;

namespace Orchestrator.Bench.Cluster;

/// <summary>
/// A fresh database per run on the PostgreSQL server that <c>ConnectionStrings__Orleans</c> names (the variable a
/// silo reads its own connection string from), dropped again at the end of the run.
/// </summary>
internal static class BenchDatabase
{
    public const string ServerVariable = "ConnectionStrings__Orleans";

    public static async Task<ThrowawayDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new UsageException(
                $"{ServerVariable} is not set: it must name a PostgreSQL server the benchmark may create a database on, " +
                "e.g. \"Host=127.0.0.1;Port=55432;Username=postgres\" (scripts/bench.sh starts one)");
        }
        var database = await ThrowawayDatabase.CreateAsync(server, "orch_bench");
        Progress.Say($"database {database.Name} created");
        return database;
    }
}
