namespace Orchestrator.Testing;

/// <summary>
/// The PostgreSQL server tests share, which <c>ORCH_TEST_POSTGRES</c> names with an admin connection string
/// (e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>; scripts/test.sh starts one). Each test makes its own
/// <see cref="ThrowawayDatabase"/> on it; a test that stops its server has a <see cref="PrivatePostgres"/> instead.
/// </summary>
public static class SharedPostgres
{
    /// <summary>The environment variable holding the admin connection string.</summary>
    public const string ServerVariable = "ORCH_TEST_POSTGRES";

    /// <summary>The database prefix when a test names none.</summary>
    public const string DefaultPrefix = "orch_test";

    /// <summary>The admin connection string in <c>ORCH_TEST_POSTGRES</c>; throws saying so when it is not set: CI always sets it.</summary>
    public static string ServerConnectionString
    {
        get
        {
            var server = Environment.GetEnvironmentVariable(ServerVariable);
            return string.IsNullOrWhiteSpace(server)
                ? throw new InvalidOperationException(
                    $"{ServerVariable} is not set: it must hold an admin connection string to a PostgreSQL server, " +
                    "e.g. \"Host=127.0.0.1;Port=55432;Username=postgres\".")
                : server;
        }
    }

    /// <summary>
    /// Creates an empty database named <paramref name="prefix"/>_&lt;random&gt; on the shared server (tests apply the
    /// schema themselves); dispose it to drop it.
    /// </summary>
    /// <param name="prefix">Lower-case letters, digits and underscores, at most 40 characters.</param>
    public static Task<ThrowawayDatabase> CreateDatabaseAsync(string prefix = DefaultPrefix) =>
        ThrowawayDatabase.CreateAsync(ServerConnectionString, prefix);
}
