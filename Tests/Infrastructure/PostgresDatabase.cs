using Npgsql;
using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL database with a unique name, created on the server that
/// <c>ORCH_TEST_POSTGRES</c> points at (an admin connection string, e.g.
/// <c>Host=127.0.0.1;Port=55432;Username=postgres</c>) and dropped again on dispose.
/// </summary>
/// <remarks>
/// <para>
/// As an xunit class fixture (<c>IClassFixture&lt;PostgresDatabase&gt;</c>) it gives a test class
/// one database, created before the first test and dropped after the last. A test that needs a
/// database of its own creates one with <see cref="CreateAsync"/> and disposes it with
/// <c>await using</c>.
/// </para>
/// <para>
/// A missing <c>ORCH_TEST_POSTGRES</c> fails the test with a message saying so: CI always sets it.
/// The database starts empty; tests apply the schema themselves. Dropping it terminates any
/// connection still open to it, such as those a test's silo left in its pool.
/// </para>
/// </remarks>
public sealed class PostgresDatabase : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The environment variable holding the admin connection string.</summary>
    public const string ServerVariable = "ORCH_TEST_POSTGRES";

    private const string DefaultPrefix = "orch_test";

    private readonly ThrowawayDatabase _database;

    /// <summary>Names a database to be created by <see cref="InitializeAsync"/> (what xunit calls).</summary>
    public PostgresDatabase()
        : this(DefaultPrefix)
    {
    }

    private PostgresDatabase(string prefix)
    {
        _database = new ThrowawayDatabase(ServerConnectionString(), prefix);
    }

    /// <summary>The admin connection string in <c>ORCH_TEST_POSTGRES</c>; throws saying so when it is not set.</summary>
    public static string ServerConnectionString()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ServerVariable} is not set: it must hold an admin connection string to a PostgreSQL server, " +
                "e.g. \"Host=127.0.0.1;Port=55432;Username=postgres\".");
        }
        return server;
    }

    /// <summary>The database's name: the prefix, an underscore and 12 random hex digits.</summary>
    public string Name => _database.Name;

    /// <summary>The admin connection string with <c>Database</c> set to this database.</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Creates a database named <paramref name="prefix"/>_&lt;random&gt;; dispose it to drop it.</summary>
    /// <param name="prefix">Lower-case letters, digits and underscores, at most 40 characters.</param>
    public static async Task<PostgresDatabase> CreateAsync(string prefix = DefaultPrefix)
    {
        var database = new PostgresDatabase(prefix);
        await database.InitializeAsync();
        return database;
    }

    /// <summary>Opens a connection to this database; the caller disposes it.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => _database.CreateAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _database.DisposeAsync();
}
