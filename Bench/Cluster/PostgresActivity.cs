using System.Text.RegularExpressions;
using Npgsql;

namespace Orchestrator.Bench.Cluster;

/// <summary>
/// What the PostgreSQL server does for one database: commits (pg_stat_database), WAL written (the server's
/// pg_current_wal_lsn), statements (pg_stat_statements, when the server preloads it) and the CPU time of the
/// server's processes (from /proc, when the server runs on this machine).
/// </summary>
internal sealed partial class PostgresActivity
{
    private const string Extension = "pg_stat_statements";
    private const string ThisDatabase = "(SELECT oid FROM pg_database WHERE datname = current_database())";
    private const int StatementTextLength = 90;

    private readonly string _connectionString;
    private readonly int? _serverPid;

    private PostgresActivity(string connectionString, int? serverPid, bool hasStatements)
    {
        _connectionString = connectionString;
        _serverPid = serverPid;
        HasStatements = hasStatements;
    }

    /// <summary>Whether statements are counted: the server was started with pg_stat_statements in shared_preload_libraries.</summary>
    public bool HasStatements { get; }

    /// <summary>Whether the server's processes run on this machine, so that their CPU time can be read.</summary>
    public bool HasCpu => _serverPid is not null;

    /// <summary>
    /// Finds the server's postmaster (the parent of this connection's backend) and, if the server preloads
    /// pg_stat_statements, creates the extension in the database, which is what makes its view readable there.
    /// </summary>
    public static async Task<PostgresActivity> OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var backend = (int)(await ScalarAsync(connection, "SELECT pg_backend_pid()"))!;
        // A server elsewhere (another machine, a container's own pid namespace) has no such pair of processes here.
        int? postmaster = ProcessStats.Command(backend) == "postgres" && ProcessStats.ParentId(backend) is { } parent && ProcessStats.Command(parent) == "postgres"
            ? parent
            : null;
        var preloaded = ((string)(await ScalarAsync(connection, "SELECT current_setting('shared_preload_libraries')"))!)
            .Split(',', StringSplitOptions.TrimEntries).Contains(Extension, StringComparer.Ordinal);
        if (preloaded)
        {
            await ScalarAsync(connection, $"CREATE EXTENSION IF NOT EXISTS {Extension}");
        }
        return new PostgresActivity(connectionString, postmaster, preloaded);
    }

    /// <summary>Starts counting statements of this database from zero.</summary>
    public async Task ResetStatementsAsync()
    {
        if (!HasStatements)
        {
            return;
        }
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await ScalarAsync(connection, $"SELECT {Extension}_reset(0, {ThisDatabase}, 0)");
    }

    public async Task<PostgresSample> SampleAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT xact_commit, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') FROM pg_stat_database WHERE datname = current_database()", connection);
        long commits;
        decimal wal;
        await using (var reader = await query.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            commits = reader.GetInt64(0);
            wal = reader.GetDecimal(1);
        }
        long? statements = HasStatements
            ? (long)(decimal)(await ScalarAsync(connection, $"SELECT coalesce(sum(calls), 0) FROM {Extension} WHERE dbid = {ThisDatabase}"))!
            : null;
        return new PostgresSample(commits, wal, statements, _serverPid is { } pid ? ProcessStats.TreeCpuSeconds(pid) : null);
    }

    /// <summary>The statements of this database that ran most often since the reset, most first.</summary>
    public async Task<IReadOnlyList<StatementCount>> TopStatementsAsync(int count)
    {
        if (!HasStatements)
        {
            return [];
        }
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"SELECT query, calls, total_exec_time, rows FROM {Extension} WHERE dbid = {ThisDatabase} ORDER BY calls DESC LIMIT {count}", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var top = new List<StatementCount>();
        while (await reader.ReadAsync())
        {
            var text = Whitespace().Replace(reader.GetString(0), " ").Trim();
            top.Add(new StatementCount(text.Length > StatementTextLength ? text[..StatementTextLength] + "…" : text, reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3)));
        }
        return top;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
