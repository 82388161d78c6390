using System.Data.Common;
using Npgsql;
using Orchestrator.Silo.Persistence.GroupCommit;
using Orleans.Providers;

namespace Orchestrator.Silo.Persistence;

/// <summary>Puts a silo's membership, grain state and reminders in one PostgreSQL database.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql; the Orleans providers default to SQL Server otherwise.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Connections a silo opens at most for membership and reminders when its connection string does not say; grain
    /// state has a pool of its own, of <see cref="GroupCommitQueue.DefaultMaxConcurrentBatches"/> connections.
    /// </summary>
    public const int DefaultMaxPoolSize = 10;

    /// <summary>
    /// Configures ADO.NET clustering and reminders, and group-commit grain storage (<see cref="GroupCommitQueue"/>),
    /// on <paramref name="connectionString"/>. Grain storage is registered as <paramref name="storageName"/> and as
    /// the default provider, stores state with the Orleans binary serializer, and retries while the database is
    /// briefly unreachable. Membership and reminders open at most <see cref="DefaultMaxPoolSize"/> connections
    /// unless the connection string says. The schema (Silo/Sql) is applied in the silo's first lifecycle stage,
    /// before any of these providers starts.
    /// </summary>
    /// <remarks>
    /// Rows are keyed by the cluster's ServiceId and each grain's state name (the name given to
    /// <c>[PersistentState]</c>), not its class: two grain classes with the same key and the same state
    /// name share a row, so every grain class needs its own state name.
    /// </remarks>
    public static ISiloBuilder UsePostgres(this ISiloBuilder builder, string connectionString, string storageName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        connectionString = WithDefaultPoolLimit(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            new PostgresSchemaInitializer(connectionString, services.GetRequiredService<ILogger<PostgresSchemaInitializer>>()));

        var adoNet = WithoutResetOnClose(connectionString);
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = adoNet;
        });

        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = adoNet;
        });

        builder.AddIncomingGrainCallFilter<DatabaseExceptionFilter>();
        AddGrainStorage(builder.Services, storageName, connectionString);
        if (storageName != ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
        {
            AddGrainStorage(builder.Services, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, connectionString);
        }

        return builder;
    }

    /// <summary>Group-commit grain storage (one queue for both names), with retries while the database is briefly away.</summary>
    private static void AddGrainStorage(IServiceCollection services, string name, string connectionString) =>
        services.AddGroupCommitGrainStorage(name, connectionString, (provider, storage) => RetryingGrainStorage.Create(provider, storage, connectionString));

    /// <summary>
    /// Caps this silo's connections at <see cref="DefaultMaxPoolSize"/> unless the connection string sets its own
    /// limit. Npgsql's default of 100 per process let one three-silo cluster hold about 50 connections after a
    /// burst (the reminder service reads its ring's ranges in parallel), so two clusters, or one beside other
    /// services, ran a server with PostgreSQL's default of 100 out of slots ("too many clients").
    /// </summary>
    /// <summary>
    /// The membership and reminder providers open a pooled connection for each query and close it after; Npgsql then
    /// resets the session (<c>DISCARD ALL</c>) before the connection's next use, which was half of the statements a
    /// task cost at 2,000 one-replica jobs (BENCHMARKS.md). Their queries set nothing on the session, so there is
    /// nothing to reset.
    /// </summary>
    internal static string WithoutResetOnClose(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;

    internal static string WithDefaultPoolLimit(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal) is var k
            && (k.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase) || k.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase))))
        {
            return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }
}
