using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Persistence.GroupCommit;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orchestrator.Tests.Persistence.GroupCommit;

/// <summary>
/// The group-commit storage on a test database with the schema applied, under a service id of its own, and what the
/// tests look at: the queue's counts, the stored rows (with the transaction that wrote each), and a way to hold the
/// queue's batches back so that the next one gathers exactly the statements a test issues.
/// </summary>
internal sealed class StateStore : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly ServiceProvider _services;
    private readonly List<ServiceProvider> _adoNetServices = [];

    private StateStore(string connectionString, int maxConcurrentBatches)
    {
        _connectionString = connectionString;
        ServiceId = "svc-" + Guid.NewGuid().ToString("N");
        _services = new ServiceCollection()
            .AddLogging()
            .AddSerializer()
            .Configure<ClusterOptions>(o =>
            {
                o.ServiceId = ServiceId;
                o.ClusterId = "group-commit-tests";
            })
            .BuildServiceProvider();
        Queue = new GroupCommitQueue(connectionString, NullLogger<GroupCommitQueue>.Instance, maxConcurrentBatches: maxConcurrentBatches);
        Storage = new GroupCommitGrainStorage(
            ServiceId, Queue, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()), _services.GetRequiredService<IActivatorProvider>());
    }

    public string ServiceId { get; }

    public GroupCommitQueue Queue { get; }

    public IGrainStorage Storage { get; }

    public static async Task<StateStore> CreateAsync(string connectionString, int maxConcurrentBatches = GroupCommitQueue.DefaultMaxConcurrentBatches)
    {
        await PostgresSchema.ApplyAsync(connectionString, NullLogger.Instance, CancellationToken.None);
        return new StateStore(connectionString, maxConcurrentBatches);
    }

    /// <summary>Orleans' ADO.NET storage on the same database and service id, started as a silo would start it.</summary>
    public async Task<IGrainStorage> CreateAdoNetStorageAsync()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSerializer()
            .Configure<ClusterOptions>(o =>
            {
                o.ServiceId = ServiceId;
                o.ClusterId = "group-commit-tests";
            });
        services.AddAdoNetGrainStorage("ado", options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = PostgresSiloBuilderExtensions.Invariant;
            storage.ConnectionString = _connectionString;
            storage.DeleteStateOnClear = true;
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        var provider = services.BuildServiceProvider();
        _adoNetServices.Add(provider);
        var storage = provider.GetRequiredKeyedService<IGrainStorage>("ado");
        var lifecycle = new Orleans.Runtime.SiloLifecycleSubject(NullLogger<Orleans.Runtime.SiloLifecycleSubject>.Instance);
        ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(lifecycle);
        await lifecycle.OnStart(CancellationToken.None);
        return storage;
    }

    /// <summary>The stored row (null: none), with the id of the transaction that wrote it.</summary>
    public async Task<StoredRow?> RowAsync(string stateName, GrainId grain)
    {
        var key = StateRowKey.Of(ServiceId, stateName, grain);
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT version, payload_binary, xmin::text::bigint FROM orleans_storage
            WHERE service_id = $1 AND grain_type_string = $2 AND grain_id_n0 = $3 AND grain_id_n1 = $4
              AND grain_id_extension_string IS NOT DISTINCT FROM $5
            """, connection);
        AddKey(command, key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new StoredRow(reader.GetInt32(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1), reader.GetInt64(2))
            : null;
    }

    /// <summary>Every row of this store's service id, by string key.</summary>
    public async Task<Dictionary<string, StoredRow>> RowsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_id_extension_string, version, payload_binary, xmin::text::bigint FROM orleans_storage WHERE service_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ServiceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, StoredRow>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.IsDBNull(0) ? "" : reader.GetString(0)] = new StoredRow(reader.GetInt32(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2), reader.GetInt64(3));
        }
        return rows;
    }

    /// <summary>
    /// Holds back the queue's batches (the store must allow one in flight): a write of a gate grain waits on a row lock
    /// this holds until <see cref="Gate.ReleaseAsync"/>, so every statement issued meanwhile goes in the next batch.
    /// </summary>
    public async Task<Gate> HoldBatchesAsync()
    {
        // Not hexadecimal, so a string key (see StateRowKey).
        var grain = GrainId.Create("gate", "gate-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<string>("open");
        await Storage.WriteStateAsync("gate", grain, state);
        var held = await LockAsync("gate", grain);
        var write = Storage.WriteStateAsync("gate", grain, state);
        await WaitForLockWaitAsync();
        return new Gate(held, write);
    }

    /// <summary>Locks the row until the returned connection is disposed: statements on it wait till then.</summary>
    public async Task<NpgsqlConnection> LockAsync(string stateName, GrainId grain)
    {
        var key = StateRowKey.Of(ServiceId, stateName, grain);
        var connection = await OpenAsync();
        // Left open: disposing the connection rolls it back, which releases the lock.
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT 1 FROM orleans_storage
            WHERE service_id = $1 AND grain_type_string = $2 AND grain_id_n0 = $3 AND grain_id_n1 = $4
              AND grain_id_extension_string IS NOT DISTINCT FROM $5
            FOR UPDATE
            """, connection, transaction);
        AddKey(command, key);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Waits until a batch of the queue waits for a row lock.</summary>
    public async Task WaitForLockWaitAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        await using var connection = await OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no batch came to wait for the row lock");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Ends the connection of the batch that waits for a row lock, as a server restart or a network fault would.</summary>
    public async Task KillWaitingBatchAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        var killed = (long)(await command.ExecuteScalarAsync())!;
        if (killed != 1)
        {
            throw new InvalidOperationException($"expected one batch waiting for a lock, found {killed}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Queue.DisposeAsync();
        await _services.DisposeAsync();
        foreach (var services in _adoNetServices)
        {
            await services.DisposeAsync();
        }
    }

    /// <summary>$1 to $5: the row's service id, state name, N0, N1 and extension.</summary>
    private static void AddKey(NpgsqlCommand command, StateRowKey key)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = key.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = key.StateName });
        command.Parameters.Add(new NpgsqlParameter { Value = key.N0 });
        command.Parameters.Add(new NpgsqlParameter { Value = key.N1 });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.Extension ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A stored row: its version, payload, and the transaction that wrote it.</summary>
    internal sealed record StoredRow(int Version, byte[]? Payload, long Transaction);

    /// <summary>The batches a <see cref="HoldBatchesAsync"/> holds back.</summary>
    internal sealed class Gate(NpgsqlConnection held, Task write)
    {
        /// <summary>Lets the held batch commit, and with it the queue go on to the next.</summary>
        public async Task ReleaseAsync()
        {
            await held.DisposeAsync();
            await write;
        }
    }
}
