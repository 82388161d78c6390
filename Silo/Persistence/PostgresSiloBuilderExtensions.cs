using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence;

/// <summary>Puts a silo's membership, grain state and reminders in one PostgreSQL database.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql; the Orleans providers default to SQL Server otherwise.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Connections a silo opens at most when its connection string does not say.</summary>
    public const int DefaultMaxPoolSize = 10;

    /// <summary>
    /// Configures ADO.NET clustering, reminders and grain storage on <paramref name="connectionString"/>.
    /// Grain storage is registered as <paramref name="storageName"/> and as the default provider, stores
    /// state with the Orleans binary serializer, and retries while the database is briefly unreachable. The
    /// silo opens at most <see cref="DefaultMaxPoolSize"/> connections unless the connection string says. The schema (Silo/Sql) is applied in the silo's
    /// first lifecycle stage, before any of these providers starts.
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

        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        builder.AddIncomingGrainCallFilter<DatabaseExceptionFilter>();
        builder.AddAdoNetGrainStorage(storageName, ConfigureGrainStorage(connectionString));
        WrapWithRetries(builder.Services, storageName, connectionString);
        if (storageName != ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
        {
            builder.AddAdoNetGrainStorageAsDefault(ConfigureGrainStorage(connectionString));
            WrapWithRetries(builder.Services, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, connectionString);
        }

        return builder;
    }

    /// <summary>
    /// Registers, after the ADO.NET storage's own registration and so in its place, a
    /// <see cref="RetryingGrainStorage"/> around it. The lifecycle registration Orleans made for the storage
    /// resolves this one, which passes the lifecycle on.
    /// </summary>
    private static void WrapWithRetries(IServiceCollection services, string name, string connectionString) =>
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => RetryingGrainStorage.Create(provider, (string)key!, connectionString));

    /// <summary>
    /// Caps this silo's connections at <see cref="DefaultMaxPoolSize"/> unless the connection string sets its own
    /// limit. Npgsql's default of 100 per process let one three-silo cluster hold about 50 connections after a
    /// burst (the reminder service reads its ring's ranges in parallel), so two clusters, or one beside other
    /// services, ran a server with PostgreSQL's default of 100 out of slots ("too many clients").
    /// </summary>
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

    private static Action<OptionsBuilder<AdoNetGrainStorageOptions>> ConfigureGrainStorage(string connectionString) =>
        options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = Invariant;
            storage.ConnectionString = connectionString;
            // A cleared state (a pruned task, a removed job) deletes its row instead of keeping it with a NULL payload.
            storage.DeleteStateOnClear = true;
            // Left unset, a post-configure step picks the silo's IGrainStorageSerializer, which is
            // JSON; our state records are [GenerateSerializer] types meant for the Orleans serializer.
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        });
}
