using System.Globalization;
using Npgsql;

namespace Orchestrator.Testing;

/// <summary>
/// A PostgreSQL database with a unique name (a prefix, an underscore and 12 random hex digits), created on the
/// server an admin connection string points at and dropped again, with any connection still open to it, such as
/// those a test's silo left in its pool.
/// </summary>
/// <remarks>Not sealed only so that the tests' xunit class fixture can add xunit's lifecycle to it.</remarks>
public class ThrowawayDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private bool _created;

    /// <summary>Names the database; <see cref="CreateAsync()"/> creates it.</summary>
    /// <param name="adminConnectionString">A connection string of a user that may create databases.</param>
    /// <param name="prefix">Lower-case letters, digits and underscores, at most 40 characters.</param>
    public ThrowawayDatabase(string adminConnectionString, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adminConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.Length > 40 || !prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException("Use at most 40 lower-case letters, digits and underscores.", nameof(prefix));
        }
        _adminConnectionString = adminConnectionString;
        Name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Guid.NewGuid().ToString("N")[..12]}");
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The admin connection string with <c>Database</c> set to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a database named <paramref name="prefix"/>_&lt;random&gt;; dispose it to drop it.</summary>
    public static async Task<ThrowawayDatabase> CreateAsync(string adminConnectionString, string prefix)
    {
        var database = new ThrowawayDatabase(adminConnectionString, prefix);
        await database.CreateAsync();
        return database;
    }

    /// <summary>Creates the database named <see cref="Name"/>.</summary>
    public async Task CreateAsync()
    {
        await ExecuteAdminAsync($"CREATE DATABASE \"{Name}\"");
        _created = true;
    }

    /// <summary>Opens a connection to this database; the caller disposes it.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Drops the database, terminating connections still open to it; does nothing if it was not created.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (!_created)
        {
            return;
        }

        // Pooled connections to a dropped database would fail on their next use, so forget them.
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        _created = false;
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
