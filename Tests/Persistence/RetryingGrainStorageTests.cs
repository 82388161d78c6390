using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Abstractions.Storage;
using Orchestrator.Silo.Persistence;
using Orleans.Storage;
using Xunit;

namespace Orchestrator.Tests.Persistence;

public sealed class RetryingGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("job", "web");

    [Fact]
    public async Task A_write_is_sent_again_while_the_database_is_unreachable_and_then_succeeds()
    {
        var inner = new ScriptedStorage(call => call switch
        {
            0 => Refused(),
            1 => new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown),
            _ => null,
        });
        var (storage, grain) = Create(inner, TimeSpan.FromSeconds(10));

        await storage.WriteStateAsync("job", Grain, new GrainState<string>("spec"));

        Assert.Equal(3, inner.Calls);
        Assert.Empty(grain.Deactivations);
    }

    [Fact]
    public async Task A_write_that_fails_for_good_says_why_and_deactivates_the_grain_so_it_reads_its_state_again()
    {
        var inner = new ScriptedStorage(_ => Refused());
        var (storage, grain) = Create(inner, TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<StorageFailedException>(() => storage.WriteStateAsync("job", Grain, new GrainState<string>("spec")));

        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("Failed to connect", error.Message, StringComparison.Ordinal);
        // The driver's exception stays on the silo: a client has no codec for its type.
        Assert.Null(error.InnerException);
        Assert.True(inner.Calls > 1);
        Assert.Single(grain.Deactivations);
    }

    [Fact]
    public async Task A_version_conflict_is_not_retried_and_deactivates_the_grain()
    {
        var inner = new ScriptedStorage(_ => new InconsistentStateException("Version conflict (WriteState)"));
        var (storage, grain) = Create(inner, TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("job", Grain, new GrainState<string>("spec")));

        Assert.Equal(1, inner.Calls);
        Assert.Single(grain.Deactivations);
    }

    [Fact]
    public async Task A_query_the_database_refuses_is_not_retried_and_a_failed_read_leaves_the_grain_as_it_was()
    {
        var inner = new ScriptedStorage(_ => new PostgresException("relation \"orleansstorage\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable));
        var (storage, grain) = Create(inner, TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<StorageFailedException>(() => storage.ReadStateAsync("job", Grain, new GrainState<string>()));

        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, inner.Calls);
        Assert.Empty(grain.Deactivations);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, true)]
    [InlineData(PostgresErrorCodes.TooManyConnections, true)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.SyntaxError, false)]
    public void A_server_error_means_unreachable_only_for_connection_and_shutdown_states(string sqlState, bool unreachable) =>
        Assert.Equal(unreachable, DatabaseFailures.IsUnreachable(new PostgresException("message", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void The_drivers_own_errors_mean_unreachable_and_others_do_not()
    {
        Assert.True(DatabaseFailures.IsUnreachable(Refused()));
        Assert.False(DatabaseFailures.IsUnreachable(new InvalidOperationException("a bug")));
        Assert.False(DatabaseFailures.IsDatabase(new InvalidOperationException("a bug")));
    }

    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    private static (RetryingGrainStorage Storage, RecordingGrainContext Grain) Create(IGrainStorage inner, TimeSpan budget)
    {
        var context = DispatchProxy.Create<IGrainContext, RecordingGrainContext>();
        var storage = new RetryingGrainStorage(
            inner,
            "Host=127.0.0.1;Port=1;Username=nobody",
            new FixedGrainContextAccessor(context),
            NullLogger<RetryingGrainStorage>.Instance,
            budget);
        return (storage, (RecordingGrainContext)(object)context);
    }

    /// <summary>Fails (or not) as the script says for each call, counting them.</summary>
    private sealed class ScriptedStorage(Func<int, Exception?> outcome) : IGrainStorage
    {
        public int Calls { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        private Task Next() => outcome(Calls++) is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    private sealed class FixedGrainContextAccessor(IGrainContext context) : IGrainContextAccessor
    {
        public IGrainContext GrainContext => context;
    }
}
