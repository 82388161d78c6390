using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Silo.Persistence;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Tests.Integration.Postgres;
using Orleans.Serialization;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// The schema of Silo/Sql against a real PostgreSQL (ORCH_TEST_POSTGRES): applying it, the grain
/// storage queries' version rules, and silos that keep membership, state and reminders in it.
/// </summary>
public sealed class PostgresSchemaTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly string[] QueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Applying_twice_records_each_script_once_and_changes_nothing_the_second_time()
    {
        await using var fresh = await SharedPostgres.CreateDatabaseAsync("orch_schema_twice");

        await PostgresSchema.ApplyAsync(fresh.ConnectionString, NullLogger.Instance, CancellationToken.None);
        var first = await ReadSchemaVersionsAsync(fresh);
        await PostgresSchema.ApplyAsync(fresh.ConnectionString, NullLogger.Instance, CancellationToken.None);
        var second = await ReadSchemaVersionsAsync(fresh);

        Assert.Equal([1, 2, 3, 4], first.Select(v => v.Version));
        Assert.Equal(first, second);
        Assert.Equal(QueryKeys.Order(StringComparer.Ordinal), await ReadQueryKeysAsync(fresh));
    }

    [Fact]
    public async Task Silos_applying_at_the_same_time_apply_each_script_once()
    {
        await using var fresh = await SharedPostgres.CreateDatabaseAsync("orch_schema_race");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            PostgresSchema.ApplyAsync(fresh.ConnectionString, NullLogger.Instance, CancellationToken.None))));

        Assert.Equal([1, 2, 3, 4], (await ReadSchemaVersionsAsync(fresh)).Select(v => v.Version));
        Assert.Equal(QueryKeys.Length, (await ReadQueryKeysAsync(fresh)).Count);
    }

    [Fact]
    public async Task A_failing_script_leaves_nothing_behind_and_is_applied_once_fixed()
    {
        await using var fresh = await SharedPostgres.CreateDatabaseAsync("orch_schema_fail");
        var good = new SchemaScript(1, "good", "CREATE TABLE good_table (id integer);", "a");
        var broken = new SchemaScript(2, "broken", "CREATE TABLE half_table (id integer); SELECT no_such_column FROM good_table;", "b");
        var fixedScript = broken with { Text = "CREATE TABLE half_table (id integer);", Checksum = "c" };

        await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresSchema.ApplyAsync(fresh.ConnectionString, [good, broken], NullLogger.Instance, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal([1], (await ReadSchemaVersionsAsync(fresh)).Select(v => v.Version));
        Assert.False(await TableExistsAsync(fresh, "half_table"));

        await PostgresSchema.ApplyAsync(fresh.ConnectionString, [good, fixedScript], NullLogger.Instance, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal([1, 2], (await ReadSchemaVersionsAsync(fresh)).Select(v => v.Version));
        Assert.True(await TableExistsAsync(fresh, "half_table"));
    }

    [Fact]
    public async Task An_unreachable_server_is_retried_until_the_timeout_then_reported()
    {
        // Port 1 on loopback refuses connections, which Npgsql reports as a transient failure.
        const string unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Database=nothing;Timeout=1";
        var timeout = TimeSpan.FromSeconds(2);
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<NpgsqlException>(() =>
            PostgresSchema.ApplyAsync(unreachable, NullLogger.Instance, timeout, CancellationToken.None));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1), timeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Grain_state_writes_follow_the_version_rules_the_provider_relies_on()
    {
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, CancellationToken.None);
        var queries = await ReadQueriesAsync(database);
        await using var connection = await database.OpenConnectionAsync();
        var note = new StorageKey("version-rules", "note");

        Assert.Equal(1, await WriteAsync(connection, queries, note, version: null, payload: [1]));
        Assert.Null(await WriteAsync(connection, queries, note, version: null, payload: [9]));
        Assert.Equal(2, await WriteAsync(connection, queries, note, version: 1, payload: [2]));
        Assert.Null(await WriteAsync(connection, queries, note, version: 1, payload: [9]));
        Assert.Equal((new byte[] { 2 }, 2), await ReadAsync(connection, queries, note));

        Assert.Null(await ClearAsync(connection, queries, note, version: 1));
        Assert.Equal(3, await ClearAsync(connection, queries, note, version: 2));
        Assert.Equal((null, 3), await ReadAsync(connection, queries, note));
        Assert.Equal(4, await WriteAsync(connection, queries, note, version: 3, payload: [4]));

        // Same key, another state name: another row.
        var draft = note with { StateName = "draft" };
        Assert.Null(await ReadAsync(connection, queries, draft));
        Assert.Equal(1, await WriteAsync(connection, queries, draft, version: null, payload: [5]));
        Assert.Equal((new byte[] { 4 }, 4), await ReadAsync(connection, queries, note));

        // A NULL extension (an all-digit string key arrives as an integer key without one) still
        // finds its row, and stays apart from an empty extension.
        var numeric = new StorageKey(null, "note", N1: 0x2024);
        var emptyExtension = numeric with { Extension = "" };
        Assert.Equal(1, await WriteAsync(connection, queries, numeric, version: null, payload: [6]));
        Assert.Null(await WriteAsync(connection, queries, numeric, version: null, payload: [9]));
        Assert.Equal(2, await WriteAsync(connection, queries, numeric, version: 1, payload: [7]));
        Assert.Equal((new byte[] { 7 }, 2), await ReadAsync(connection, queries, numeric));
        Assert.Null(await ReadAsync(connection, queries, emptyExtension));

        Assert.Null(await DeleteAsync(connection, queries, note, version: 3));
        Assert.Equal(5, await DeleteAsync(connection, queries, note, version: 4));
        Assert.Null(await ReadAsync(connection, queries, note));
    }

    [Fact]
    public async Task A_silo_on_postgres_keeps_state_reminders_and_membership_in_the_database()
    {
        var serviceId = "svc-" + Guid.NewGuid().ToString("N");
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");
        var longKey = "probe-" + new string('k', 400);
        await using var cluster = await PostgresTestCluster.StartAsync(database.ConnectionString, serviceId, clusterId);

        var note = cluster.GrainFactory.GetGrain<INoteGrain>("job-alpha");
        var draft = cluster.GrainFactory.GetGrain<IDraftGrain>("job-alpha");
        var digits = cluster.GrainFactory.GetGrain<INoteGrain>("20240611");
        await note.WriteAsync("the note");
        await note.WriteAsync("the note, revised");
        await draft.WriteAsync("the draft");
        await digits.WriteAsync("all digits");
        await digits.WriteAsync("all digits, revised");
        await cluster.DeactivateAsync(note);
        await cluster.DeactivateAsync(draft);
        await cluster.DeactivateAsync(digits);

        Assert.Equal(new NoteState { Text = "the note, revised", Revision = 2 }, await note.ReadAsync());
        Assert.Equal(new NoteState { Text = "the draft", Revision = 1 }, await draft.ReadAsync());
        Assert.Equal(new NoteState { Text = "all digits, revised", Revision = 2 }, await digits.ReadAsync());

        // State is stored with the Orleans serializer, one row per state name; the all-digit key
        // was bound as an integer key without an extension.
        var serializer = cluster.GetSiloServiceProvider().GetRequiredService<Serializer>();
        var rows = await ReadStateRowsAsync(serviceId);
        Assert.Equal(3, rows.Count);
        var noteRow = Assert.Single(rows, r => r.StateName == "note" && r.Extension == "job-alpha");
        Assert.Equal(new NoteState { Text = "the note, revised", Revision = 2 }, serializer.Deserialize<NoteState>(noteRow.Payload!));
        Assert.Single(rows, r => r.StateName == "draft" && r.Extension == "job-alpha");
        Assert.Single(rows, r => r.StateName == "note" && r.Extension is null && r.N1 == 0x20240611);

        await note.ClearAsync();
        await cluster.DeactivateAsync(note);
        Assert.Equal(new NoteState(), await note.ReadAsync());
        await note.WriteAsync("after clear");
        await cluster.DeactivateAsync(note);
        Assert.Equal(new NoteState { Text = "after clear", Revision = 1 }, await note.ReadAsync());

        var probe = cluster.GrainFactory.GetGrain<IReminderProbeGrain>(longKey);
        await probe.RegisterAsync("tick");
        Assert.True(await probe.HasReminderAsync("tick"));
        await AssertReminderTableAsync(cluster, probe.GetGrainId());
        await probe.UnregisterAsync("tick");
        Assert.False(await probe.HasReminderAsync("tick"));

        var members = await ReadMembersAsync(clusterId);
        Assert.Contains(members, m => m.Status == (int)SiloStatus.Active && m.ProxyPort > 0);
    }

    [Fact]
    public async Task Grain_state_survives_a_restart_of_the_whole_cluster()
    {
        var serviceId = "svc-" + Guid.NewGuid().ToString("N");
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");

        await using (var first = await PostgresTestCluster.StartAsync(database.ConnectionString, serviceId, clusterId))
        {
            await first.GrainFactory.GetGrain<INoteGrain>("job-restart").WriteAsync("before restart");
            await first.GrainFactory.GetGrain<INoteGrain>("4242").WriteAsync("digits before restart");
            await first.StopAllSilosAsync();
        }

        Assert.All(await ReadMembersAsync(clusterId), m => Assert.Equal((int)SiloStatus.Dead, m.Status));

        await using var second = await PostgresTestCluster.StartAsync(database.ConnectionString, serviceId, clusterId);
        var note = second.GrainFactory.GetGrain<INoteGrain>("job-restart");
        var digits = second.GrainFactory.GetGrain<INoteGrain>("4242");

        Assert.Equal(new NoteState { Text = "before restart", Revision = 1 }, await note.ReadAsync());
        Assert.Equal(new NoteState { Text = "digits before restart", Revision = 1 }, await digits.ReadAsync());
        await note.WriteAsync("after restart");
        Assert.Equal(new NoteState { Text = "after restart", Revision = 2 }, await note.ReadAsync());
        Assert.Contains(await ReadMembersAsync(clusterId), m => m.Status == (int)SiloStatus.Active);
    }

    private static async Task AssertReminderTableAsync(Orleans.TestingHost.TestCluster cluster, GrainId grainId)
    {
        var table = cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var hash = grainId.GetUniformHashCode();

        var row = await table.ReadRow(grainId, "tick");
        Assert.NotNull(row);
        Assert.Equal(grainId, row.GrainId);
        Assert.Equal(ReminderProbeGrain.Period, row.Period);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Single((await table.ReadRows(grainId)).Reminders);

        // (hash-1, hash] and the wrapping (hash+1, hash] both hold the grain; (hash, hash+1] does not.
        // Which of ReadRangeRows1Key and ReadRangeRows2Key serves each depends on the signed order.
        Assert.Contains((await table.ReadRows(unchecked(hash - 1), hash)).Reminders, r => r.GrainId == grainId);
        Assert.Contains((await table.ReadRows(unchecked(hash + 1), hash)).Reminders, r => r.GrainId == grainId);
        Assert.DoesNotContain((await table.ReadRows(hash, unchecked(hash + 1))).Reminders, r => r.GrainId == grainId);
    }

    private async Task<List<(int Status, int ProxyPort)>> ReadMembersAsync(string clusterId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status, proxy_port FROM orleans_membership WHERE deployment_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<(int, int)>();
        while (await reader.ReadAsync())
        {
            members.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return members;
    }

    private async Task<List<(string StateName, string? Extension, long N1, byte[]? Payload)>> ReadStateRowsAsync(string serviceId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_type_string, grain_id_extension_string, grain_id_n1, payload_binary FROM orleans_storage WHERE service_id = $1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, long, byte[]?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3)));
        }

        return rows;
    }

    private static async Task<List<(int Version, string Name, DateTime AppliedAt)>> ReadSchemaVersionsAsync(ThrowawayDatabase db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT version, name, applied_at FROM schema_version ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<(int, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return versions;
    }

    private static async Task<List<string>> ReadQueryKeysAsync(ThrowawayDatabase db) =>
        (await ReadQueriesAsync(db)).Keys.Order(StringComparer.Ordinal).ToList();

    private static async Task<Dictionary<string, string>> ReadQueriesAsync(ThrowawayDatabase db)
    {
        await using var connection = await db.OpenConnectionAsync();
        // The providers' own query, unquoted names and all.
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var queries = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            queries[reader.GetString(0)] = reader.GetString(1);
        }

        return queries;
    }

    private static async Task<bool> TableExistsAsync(ThrowawayDatabase db, string table)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int?> WriteAsync(
        NpgsqlConnection connection, Dictionary<string, string> queries, StorageKey key, int? version, byte[] payload)
    {
        await using var command = key.Command(queries["WriteToStorageKey"], connection, version);
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", DbType.Binary) { Value = payload });
        return await SingleVersionAsync(command);
    }

    private static async Task<int?> ClearAsync(NpgsqlConnection connection, Dictionary<string, string> queries, StorageKey key, int version)
    {
        await using var command = key.Command(queries["ClearStorageKey"], connection, version);
        return await SingleVersionAsync(command);
    }

    private static async Task<int?> DeleteAsync(NpgsqlConnection connection, Dictionary<string, string> queries, StorageKey key, int version)
    {
        await using var command = key.Command(queries["DeleteStorageKey"], connection, version);
        return await SingleVersionAsync(command);
    }

    private static async Task<(byte[]? Payload, int Version)?> ReadAsync(
        NpgsqlConnection connection, Dictionary<string, string> queries, StorageKey key)
    {
        await using var command = key.Command(queries["ReadFromStorageKey"], connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var payloadOrdinal = reader.GetOrdinal("PayloadBinary");
        var payload = reader.IsDBNull(payloadOrdinal) ? null : (byte[])reader.GetValue(payloadOrdinal);
        var result = (payload, reader.GetInt32(reader.GetOrdinal("Version")));
        Assert.False(await reader.ReadAsync(), "The read query returned more than one row.");
        return result;
    }

    private static async Task<int?> SingleVersionAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var version = reader.GetInt32(0);
        Assert.False(await reader.ReadAsync(), "The query returned more than one row.");
        return version;
    }

    /// <summary>
    /// A grain state row's identity, bound the way AdoNetGrainStorage binds it: a string key in the
    /// extension with zero N0/N1, or an integer key in N1 with no extension.
    /// </summary>
    private sealed record StorageKey(string? Extension, string StateName, long N1 = 0)
    {
        private const string ServiceId = "svc-version-rules";

        public NpgsqlCommand Command(string sql, NpgsqlConnection connection, int? version = null)
        {
            var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter("GrainIdHash", DbType.Int32) { Value = (Extension ?? "").Length + (int)N1 });
            command.Parameters.Add(new NpgsqlParameter("GrainIdN0", DbType.Int64) { Value = 0L });
            command.Parameters.Add(new NpgsqlParameter("GrainIdN1", DbType.Int64) { Value = N1 });
            command.Parameters.Add(new NpgsqlParameter("GrainTypeHash", DbType.Int32) { Value = StateName.Length });
            command.Parameters.Add(new NpgsqlParameter("GrainTypeString", DbType.String) { Value = StateName });
            command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", DbType.String) { Value = (object?)Extension ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("ServiceId", DbType.String) { Value = ServiceId });
            command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", DbType.Int32) { Value = (object?)version ?? DBNull.Value });
            return command;
        }
    }
}
