using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Persistence.GroupCommit;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Tests.Integration.Postgres;
using Orleans.Storage;
using Xunit;

namespace Orchestrator.Tests.Persistence.GroupCommit;

/// <summary>
/// The group-commit storage against a real PostgreSQL (ORCH_TEST_POSTGRES): grains share batches and transactions,
/// yet each keeps its own version check, and a batch commits whole or not at all.
/// </summary>
public sealed class GroupCommitGrainStorageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Note = "note";

    [Fact]
    public async Task Concurrent_writes_and_reads_of_many_grains_share_batches_and_transactions()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString);
        const int grains = 200;
        var states = Enumerable.Range(0, grains).Select(i => new GrainState<NoteState>(new NoteState { Text = $"note {i}", Revision = i })).ToArray();

        await Task.WhenAll(states.Select((state, i) => store.Storage.WriteStateAsync(Note, Grain(i), state)));

        var writeBatches = store.Queue.Batches;
        Assert.Equal(grains, store.Queue.Statements);
        Assert.InRange(writeBatches, 2, grains / 10);
        Assert.All(states, state => Assert.Equal("1", state.ETag));
        // Every row carries the id of the transaction that wrote it: one transaction per batch.
        var rows = await store.RowsAsync();
        Assert.Equal(grains, rows.Count);
        Assert.Equal(writeBatches, rows.Values.Select(r => r.Transaction).Distinct().Count());

        var read = Enumerable.Range(0, grains).Select(_ => new GrainState<NoteState>()).ToArray();
        await Task.WhenAll(read.Select((state, i) => store.Storage.ReadStateAsync(Note, Grain(i), state)));

        Assert.InRange(store.Queue.Batches - writeBatches, 1, grains / 10);
        for (var i = 0; i < grains; i++)
        {
            Assert.Equal(states[i].State, read[i].State);
            Assert.Equal("1", read[i].ETag);
            Assert.True(read[i].RecordExists);
        }
    }

    [Fact]
    public async Task A_grain_reads_what_it_wrote_and_a_grain_never_written_reads_a_new_state()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString);
        var state = new GrainState<NoteState>(new NoteState { Text = "first", Revision = 1 });

        await store.Storage.WriteStateAsync(Note, Grain(1), state);
        state.State = new NoteState { Text = "second", Revision = 2 };
        await store.Storage.WriteStateAsync(Note, Grain(1), state);
        var read = new GrainState<NoteState>();
        await store.Storage.ReadStateAsync(Note, Grain(1), read);
        var never = new GrainState<NoteState>();
        await store.Storage.ReadStateAsync(Note, Grain(2), never);

        Assert.Equal("2", state.ETag);
        Assert.Equal(new NoteState { Text = "second", Revision = 2 }, read.State);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(new NoteState(), never.State);
        Assert.Null(never.ETag);
        Assert.False(never.RecordExists);
    }

    [Fact]
    public async Task A_write_with_a_stale_version_or_none_for_an_existing_row_is_a_conflict()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString);
        var state = new GrainState<NoteState>(new NoteState { Text = "first" });
        await store.Storage.WriteStateAsync(Note, Grain(1), state);
        var stale = new GrainState<NoteState>(new NoteState { Text = "stale" }) { ETag = state.ETag };
        await store.Storage.WriteStateAsync(Note, Grain(1), state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync(Note, Grain(1), stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync(Note, Grain(1), new GrainState<NoteState>(new NoteState { Text = "blind" })));

        Assert.Equal(2, (await store.RowAsync(Note, Grain(1)))!.Version);
    }

    [Fact]
    public async Task A_version_conflict_fails_only_its_own_grain_and_the_rest_of_its_batch_commits()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString, maxConcurrentBatches: 1);
        var states = Enumerable.Range(0, 5).Select(_ => new GrainState<NoteState>(new NoteState { Text = "first" })).ToArray();
        for (var i = 0; i < states.Length; i++)
        {
            await store.Storage.WriteStateAsync(Note, Grain(i), states[i]);
        }
        // Another activation of grain 2 wrote since this one read: this one's version is stale.
        await store.Storage.WriteStateAsync(Note, Grain(2), new GrainState<NoteState>(new NoteState { Text = "newer" }) { ETag = states[2].ETag });

        var gate = await store.HoldBatchesAsync();
        var batches = store.Queue.Batches;
        var writes = states.Select((state, i) =>
        {
            state.State = new NoteState { Text = "second" };
            return store.Storage.WriteStateAsync(Note, Grain(i), state);
        }).ToArray();
        await gate.ReleaseAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        await Task.WhenAll(writes.Where((_, i) => i != 2));
        // The gate's batch, then one batch of all five.
        Assert.Equal(batches + 2, store.Queue.Batches);
        var rows = await store.RowsAsync();
        var others = new[] { 0, 1, 3, 4 }.Select(i => rows[Key(i)]).ToArray();
        Assert.All(others, row => Assert.Equal(2, row.Version));
        Assert.Single(others.Select(row => row.Transaction).Distinct());
        Assert.Equal(2, rows[Key(2)].Version);
        Assert.Equal("newer", await TextAsync(store, Grain(2)));
    }

    [Fact]
    public async Task A_statement_the_database_refuses_fails_only_its_own_grain()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString, maxConcurrentBatches: 1);
        // The key column holds 1024 characters; inserting a longer key is an error of the server, not a conflict.
        var tooLong = GrainId.Create("note", "k-" + new string('k', 2000));

        var gate = await store.HoldBatchesAsync();
        var batches = store.Queue.Batches;
        var writes = Enumerable.Range(0, 4).Select(i => store.Storage.WriteStateAsync(Note, Grain(i), new GrainState<NoteState>(new NoteState { Text = "fits" }))).ToList();
        var refused = store.Storage.WriteStateAsync(Note, tooLong, new GrainState<NoteState>(new NoteState { Text = "too long" }));
        await gate.ReleaseAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => refused);
        Assert.Equal(PostgresErrorCodes.StringDataRightTruncation, error.SqlState);
        await Task.WhenAll(writes);
        Assert.Equal(batches + 2, store.Queue.Batches);
        var rows = await store.RowsAsync();
        Assert.Single(Enumerable.Range(0, 4).Select(i => rows[Key(i)].Transaction).Distinct());
        Assert.DoesNotContain(rows.Keys, key => key.Length > 1024);
    }

    [Fact]
    public async Task A_batch_whose_connection_is_lost_fails_every_grain_in_it_and_stores_none_of_their_writes()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString, maxConcurrentBatches: 1);
        const int grains = 10;
        var states = Enumerable.Range(0, grains).Select(_ => new GrainState<NoteState>(new NoteState { Text = "first" })).ToArray();
        for (var i = 0; i < grains; i++)
        {
            await store.Storage.WriteStateAsync(Note, Grain(i), states[i]);
        }
        // The batch runs its statements in lock order and will wait at the last one's row, the others done but not committed.
        var last = Enumerable.Range(0, grains).MaxBy(i => StateRowKey.Of(store.ServiceId, Note, Grain(i)), StateRowKey.LockOrder);
        var held = await store.LockAsync(Note, Grain(last));

        var gate = await store.HoldBatchesAsync();
        var writes = states.Select((state, i) =>
        {
            state.State = new NoteState { Text = "second" };
            return store.Storage.WriteStateAsync(Note, Grain(i), state);
        }).ToArray();
        await gate.ReleaseAsync();
        await store.WaitForLockWaitAsync();
        await store.KillWaitingBatchAsync();

        foreach (var write in writes)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => write);
            Assert.True(DatabaseFailures.IsUnreachable(error), error.ToString());
        }
        await held.DisposeAsync();
        var rows = await store.RowsAsync();
        Assert.All(Enumerable.Range(0, grains), i => Assert.Equal(1, rows[Key(i)].Version));
        Assert.All(Enumerable.Range(0, grains), i => Assert.Equal("1", states[i].ETag));

        // What a retry does: the same writes, on a fresh connection.
        await Task.WhenAll(states.Select((state, i) => store.Storage.WriteStateAsync(Note, Grain(i), state)));
        Assert.All((await store.RowsAsync()).Where(r => r.Key.StartsWith("note-", StringComparison.Ordinal)), r => Assert.Equal(2, r.Value.Version));
    }

    [Fact]
    public async Task The_retrying_storage_sends_the_writes_of_a_lost_batch_again_and_each_is_stored_once()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString, maxConcurrentBatches: 1);
        var grain = DispatchProxy.Create<IGrainContext, RecordingGrainContext>();
        var storage = new RetryingGrainStorage(store.Storage, database.ConnectionString, new FixedGrainContext(grain),
            NullLogger<RetryingGrainStorage>.Instance, TimeSpan.FromSeconds(20));
        const int grains = 5;
        var states = Enumerable.Range(0, grains).Select(_ => new GrainState<NoteState>(new NoteState { Text = "first" })).ToArray();
        for (var i = 0; i < grains; i++)
        {
            await storage.WriteStateAsync(Note, Grain(i), states[i]);
        }
        var last = Enumerable.Range(0, grains).MaxBy(i => StateRowKey.Of(store.ServiceId, Note, Grain(i)), StateRowKey.LockOrder);
        var held = await store.LockAsync(Note, Grain(last));

        var gate = await store.HoldBatchesAsync();
        var writes = states.Select((state, i) =>
        {
            state.State = new NoteState { Text = "second" };
            return storage.WriteStateAsync(Note, Grain(i), state);
        }).ToArray();
        await gate.ReleaseAsync();
        await store.WaitForLockWaitAsync();
        await store.KillWaitingBatchAsync();
        // The writes are sent again at once; the batch with the held row waits for it.
        await store.WaitForLockWaitAsync();
        await held.DisposeAsync();

        await Task.WhenAll(writes);
        var rows = await store.RowsAsync();
        Assert.All(Enumerable.Range(0, grains), i => Assert.Equal(2, rows[Key(i)].Version));
        Assert.All(states, state => Assert.Equal("2", state.ETag));
        Assert.Empty(((RecordingGrainContext)(object)grain).Deactivations);
    }

    [Fact]
    public async Task Clearing_deletes_the_row_and_needs_the_stored_version()
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString);
        var state = new GrainState<NoteState>(new NoteState { Text = "kept" });
        await store.Storage.WriteStateAsync(Note, Grain(1), state);
        var stale = new GrainState<NoteState>(state.State) { ETag = state.ETag, RecordExists = true };
        await store.Storage.WriteStateAsync(Note, Grain(1), state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.ClearStateAsync(Note, Grain(1), stale));
        Assert.NotNull(await store.RowAsync(Note, Grain(1)));

        await store.Storage.ClearStateAsync(Note, Grain(1), state);

        Assert.Null(await store.RowAsync(Note, Grain(1)));
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(new NoteState(), state.State);

        // A grain that never read its row clears it all the same; clearing what is not there does nothing.
        await store.Storage.WriteStateAsync(Note, Grain(2), new GrainState<NoteState>(new NoteState { Text = "unread" }));
        await store.Storage.ClearStateAsync(Note, Grain(2), new GrainState<NoteState>());
        await store.Storage.ClearStateAsync(Note, Grain(3), new GrainState<NoteState>());
        Assert.Empty(await store.RowsAsync());

        await store.Storage.WriteStateAsync(Note, Grain(1), state);
        Assert.Equal(1, (await store.RowAsync(Note, Grain(1)))!.Version);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("hexadecimal string")]
    [InlineData("guid")]
    [InlineData("integer with extension")]
    [InlineData("guid with extension")]
    public async Task Rows_are_those_of_orleans_ado_net_storage_so_either_reads_what_the_other_wrote(string keyKind)
    {
        await using var store = await StateStore.CreateAsync(database.ConnectionString);
        var adoNet = await store.CreateAdoNetStorageAsync();
        var type = GrainType.Create("note");
        var grain = keyKind switch
        {
            "string" => GrainId.Create("note", "job/web"),
            "hexadecimal string" => GrainId.Create("note", "20240611"),
            "guid" => GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid())),
            "integer with extension" => GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42, "ext")),
            _ => GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "ext")),
        };

        var written = new GrainState<NoteState>(new NoteState { Text = "by ado.net", Revision = 1 });
        await adoNet.WriteStateAsync(Note, grain, written);
        var read = new GrainState<NoteState>();
        await store.Storage.ReadStateAsync(Note, grain, read);
        Assert.Equal(written.State, read.State);
        Assert.Equal(written.ETag, read.ETag);

        read.State = new NoteState { Text = "by group commit", Revision = 2 };
        await store.Storage.WriteStateAsync(Note, grain, read);
        var back = new GrainState<NoteState>();
        await adoNet.ReadStateAsync(Note, grain, back);
        Assert.Equal(read.State, back.State);
        Assert.Equal(read.ETag, back.ETag);

        await adoNet.ClearStateAsync(Note, grain, back);
        var cleared = new GrainState<NoteState>();
        await store.Storage.ReadStateAsync(Note, grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Empty(await store.RowsAsync());
    }

    private static GrainId Grain(int i) => GrainId.Create("note", Key(i));

    private sealed class FixedGrainContext(IGrainContext context) : IGrainContextAccessor
    {
        public IGrainContext GrainContext => context;
    }

    // A dash keeps the key a string key (see StateRowKey).
    private static string Key(int i) => $"note-{i}";

    private static async Task<string> TextAsync(StateStore store, GrainId grain)
    {
        var state = new GrainState<NoteState>();
        await store.Storage.ReadStateAsync(Note, grain, state);
        return state.State!.Text;
    }
}
