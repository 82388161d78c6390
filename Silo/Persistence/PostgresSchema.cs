using System.Data;
using System.Diagnostics;
using Npgsql;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Applies the numbered scripts of Silo/Sql (embedded in this assembly) to a PostgreSQL database:
/// the Orleans ADO.NET tables and the OrleansQuery rows the providers read at start-up. It must run
/// before the silo's providers start.
/// </summary>
/// <remarks>
/// Silos starting together serialise on a PostgreSQL advisory lock. Each script runs in its own
/// transaction together with its <c>schema_version</c> row, so a failing script leaves nothing of
/// itself behind and is tried again on the next start. Applied versions are skipped; to change the
/// schema, add a script with the next number rather than editing an applied one.
/// </remarks>
public static partial class PostgresSchema
{
    /// <summary>How long <see cref="ApplyAsync(string, ILogger, CancellationToken)"/> keeps trying to reach the server.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    // Any fixed number works, as long as nothing else in the database takes the same advisory lock.
    private const long MigrationLockKey = 0x6F72_6368_7363_6865; // "orchsche"

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Applies every embedded script not yet recorded in <c>schema_version</c>, retrying the first
    /// connection for up to <see cref="DefaultConnectTimeout"/> while the server starts.
    /// </summary>
    public static Task ApplyAsync(string connectionString, ILogger logger, CancellationToken ct) =>
        ApplyAsync(connectionString, logger, DefaultConnectTimeout, ct);

    /// <summary>
    /// Applies every embedded script not yet recorded in <c>schema_version</c>, retrying the first
    /// connection with backoff for up to <paramref name="connectTimeout"/> while the server starts.
    /// </summary>
    public static Task ApplyAsync(string connectionString, ILogger logger, TimeSpan connectTimeout, CancellationToken ct) =>
        ApplyAsync(connectionString, SchemaScript.LoadEmbedded(), logger, connectTimeout, ct);

    internal static async Task ApplyAsync(
        string connectionString, IReadOnlyList<SchemaScript> scripts, ILogger logger, TimeSpan connectTimeout, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(scripts);
        ArgumentOutOfRangeException.ThrowIfZero(scripts.Count);
        ArgumentNullException.ThrowIfNull(logger);

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await using var connection = await OpenWithRetryAsync(connectionString, target, logger, connectTimeout, ct).ConfigureAwait(false);

        await LockAsync(connection, target, logger, ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_version
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, ct).ConfigureAwait(false);

            var applied = await ReadAppliedAsync(connection, ct).ConfigureAwait(false);
            var appliedNow = 0;
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        LogAppliedScriptChanged(logger, script.Version, script.Name);
                    }

                    continue;
                }

                await ApplyScriptAsync(connection, script, ct).ConfigureAwait(false);
                LogScriptApplied(logger, script.Version, script.Name, target.Database);
                appliedNow++;
            }

            LogSchemaReady(logger, target.Database, scripts[^1].Version, appliedNow);
        }
        finally
        {
            // Released here rather than left to the pool, which may keep the session open. A broken
            // connection has lost its session, and the lock with it.
            if (connection.State == ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey});", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenWithRetryAsync(
        string connectionString, NpgsqlConnectionStringBuilder target, ILogger logger, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                return connection;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && Stopwatch.GetElapsedTime(started) + delay < timeout)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                LogConnectRetry(logger, target.Host, target.Port, target.Database, attempt, delay, ex.Message);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder target, ILogger logger, CancellationToken ct)
    {
        await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({MigrationLockKey});", connection);
        if (await tryLock.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
        {
            return;
        }

        LogWaitingForLock(logger, target.Database);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey});", ct).ConfigureAwait(false);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_version;", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ApplyScriptAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, script.Text, ct).ConfigureAwait(false);

        await using var record = new NpgsqlCommand(
            "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3);", connection, transaction);
        record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
        record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
        record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
        await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "PostgreSQL at {Host}:{Port} (database {Database}) is not reachable yet (attempt {Attempt}: {Reason}); retrying in {Delay}")]
    private static partial void LogConnectRetry(ILogger logger, string? host, int port, string? database, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another process is applying the schema of database {Database}; waiting for it")]
    private static partial void LogWaitingForLock(ILogger logger, string? database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema script {Version:D3} {Name} to database {Database}")]
    private static partial void LogScriptApplied(ILogger logger, int version, string name, string? database);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Schema script {Version:D3} {Name} changed after it was applied; it is not applied again: put schema changes in a new script")]
    private static partial void LogAppliedScriptChanged(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of database {Database} is at version {Version} ({Applied} script(s) applied now)")]
    private static partial void LogSchemaReady(ILogger logger, string? database, int version, int applied);
}
