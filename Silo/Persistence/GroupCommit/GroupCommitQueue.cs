using Npgsql;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// Group commit of grain state for a whole silo: the reads, writes and deletes of every grain that arrive while a
/// batch is in flight are sent together as the next batch, in one round trip and one transaction. Nothing waits for
/// company: at low load the first statement leaves at once, alone; under load batches grow to
/// <see cref="DefaultMaxBatchSize"/> (or the size given).
/// </summary>
/// <remarks>
/// <para>
/// A batch is one <see cref="NpgsqlBatch"/> without a transaction of its own: PostgreSQL runs everything before the
/// batch's single Sync as one implicit transaction, committed when the batch's results have all been read, and
/// rolled back whole if any statement fails. Each grain's version check is part of its own statement, which
/// returns no row on a conflict instead of raising an error, so one grain's conflict fails only that grain.
/// </para>
/// <para>
/// A statement the server refuses (a key too long for its column) aborts the transaction of its whole batch; the
/// batch is then sent again without it, so only its own grain fails. A batch that fails otherwise, a lost
/// connection above all, fails every statement in it with the same exception, and none of its changes is
/// stored unless the commit itself was lost on its way back (as with any single write).
/// </para>
/// </remarks>
internal sealed partial class GroupCommitQueue : IAsyncDisposable
{
    /// <summary>Statements per batch at most: a batch's parameters and results stay small, and one slow batch delays few grains.</summary>
    public const int DefaultMaxBatchSize = 100;

    /// <summary>
    /// Batches in flight at once, each on its own connection. One keeps batches as large as the load allows; a second
    /// lets a batch be sent while the previous one waits for its commit to reach the disk, which doubled the writes per
    /// second on two cores (Bench storage). More only paid off with a thousand grains writing without pause.
    /// </summary>
    public const int DefaultMaxConcurrentBatches = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly int _maxConcurrentBatches;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<StateStatement> _pending = new();
    private int _running;
    private StateQueries? _queries;
    private long _batches;
    private long _statements;

    public GroupCommitQueue(string connectionString, ILogger<GroupCommitQueue> logger,
        int maxBatchSize = DefaultMaxBatchSize, int maxConcurrentBatches = DefaultMaxConcurrentBatches)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentBatches, 1);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        // One connection per batch in flight: more would sit idle. Never more than the connection string allows.
        settings.MaxPoolSize = Math.Min(settings.MaxPoolSize, maxConcurrentBatches);
        settings.MinPoolSize = Math.Min(settings.MinPoolSize, settings.MaxPoolSize);
        // Prepared explicitly instead (see ExecuteAsync): Npgsql 10.0.3 loses track of a statement that is auto-prepared
        // by the very execution that fails, and the next batch on that connection then fails with a protocol error.
        settings.MaxAutoPrepare = 0;
        // Names the statement a server error came from, so that the batch can be sent again without it.
        settings.IncludeFailedBatchedCommand = true;
        // A batch sets nothing on its session, so a connection going back to the pool needs no reset; with prepared
        // statements Npgsql resets with seven statements (DISCARD ALL would drop them), most of a batch's count.
        settings.NoResetOnClose = true;
        settings.Options = WithoutTableScans(settings.Options);
        _dataSource = builder.Build();
        _maxBatchSize = maxBatchSize;
        _maxConcurrentBatches = maxConcurrentBatches;
        _logger = logger;
    }

    /// <summary>
    /// The session options of <paramref name="options"/> with table scans off. Every statement of this storage finds
    /// one row by the table's unique key, but a statement prepared while the table had a page or two keeps the plan
    /// made then, a scan of the whole table, until the next ANALYZE: seen in a new cluster as reads and writes 40 times
    /// slower (2–3 ms each at 10,000 rows) for most of a minute. Off, a scan is chosen only where no index can serve.
    /// </summary>
    internal static string WithoutTableScans(string? options) =>
        string.IsNullOrWhiteSpace(options) ? "-c enable_seqscan=off" : $"{options} -c enable_seqscan=off";

    /// <summary>Batches committed so far, each one transaction; with <see cref="Statements"/>, how well grains shared them.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Statements committed so far, in <see cref="Batches"/> batches.</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Queues the statement for the next batch; its task ends once that batch has committed or failed.</summary>
    public Task<StateRow?> RunAsync(StateStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        bool start;
        lock (_gate)
        {
            _pending.Enqueue(statement);
            start = _running < _maxConcurrentBatches;
            if (start)
            {
                _running++;
            }
        }

        if (start)
        {
            // Off the calling grain's scheduler: the loop serves every grain of the silo.
            _ = Task.Run(SendWhilePendingAsync);
        }

        return statement.Completion;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task SendWhilePendingAsync()
    {
        while (true)
        {
            StateStatement[] batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _running--;
                    return;
                }

                batch = new StateStatement[Math.Min(_pending.Count, _maxBatchSize)];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = _pending.Dequeue();
                }
            }

            await SendAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the batch, and again without each statement the server refuses, until it commits or fails.</summary>
    private async Task SendAsync(StateStatement[] batch)
    {
        // Stable, so that two statements on one row (a reentrant grain's) keep the order they came in.
        var statements = batch.OrderBy(s => s.Key, StateRowKey.LockOrder).ToList();
        while (statements.Count > 0)
        {
            NpgsqlBatchCommand[] commands = [];
            try
            {
                var queries = _queries ??= await LoadQueriesAsync().ConfigureAwait(false);
                commands = statements.Select(s => s.ToCommand(queries)).ToArray();
                var rows = await ExecuteAsync(statements, commands).ConfigureAwait(false);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _statements, statements.Count);
                for (var i = 0; i < statements.Count; i++)
                {
                    statements[i].Complete(rows[i]);
                }
                return;
            }
            catch (PostgresException e) when (!DatabaseFailures.IsUnreachable(e) && statements.Count > 1
                && e.BatchCommand is { } refused && Array.IndexOf(commands, refused) is var index and >= 0)
            {
                LogStatementRefused(e, statements[index].Kind, statements[index].Key.StateName, statements.Count - 1);
                statements[index].Fail(e);
                statements.RemoveAt(index);
            }
            catch (Exception e)
            {
                if (DatabaseFailures.IsUnreachable(e))
                {
                    // The pool's other connections most likely died with this one (a restart, a failover).
                    _dataSource.Clear();
                }

                LogBatchFailed(e, statements.Count);
                foreach (var statement in statements)
                {
                    statement.Fail(e);
                }
                return;
            }
        }
    }

    private async Task<StateQueries> LoadQueriesAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return await StateQueries.LoadAsync(connection, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<StateRow?[]> ExecuteAsync(List<StateStatement> statements, NpgsqlBatchCommand[] commands)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        // Planning the statements costs more than running them. Preparing is a round trip only the first time on each
        // connection: afterwards Npgsql finds them prepared and sends nothing.
        await batch.PrepareAsync().ConfigureAwait(false);
        var rows = new StateRow?[statements.Count];
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            for (var i = 0; i < statements.Count; i++)
            {
                if (i > 0)
                {
                    await reader.NextResultAsync().ConfigureAwait(false);
                }

                if (await reader.ReadAsync().ConfigureAwait(false))
                {
                    rows[i] = statements[i].Kind == StatementKind.Read
                        ? new StateRow(
                            reader.GetInt32(reader.GetOrdinal("Version")),
                            reader.IsDBNull(reader.GetOrdinal("PayloadBinary")) ? null : reader.GetFieldValue<byte[]>(reader.GetOrdinal("PayloadBinary")))
                        : new StateRow(reader.GetInt32(reader.GetOrdinal("NewGrainStateVersion")), null);
                }
            }

            // Reading past the last result reaches the end of the implicit transaction: its commit, or the error
            // that rolled it back.
            while (await reader.NextResultAsync().ConfigureAwait(false))
            {
            }
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The database refused the {Kind} of state {StateName}; only that grain fails, the other {Others} statement(s) of its batch are sent again")]
    private partial void LogStatementRefused(Exception exception, StatementKind kind, string stateName, int others);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Statements} grain state statement(s) failed; each of their grains gets the error")]
    private partial void LogBatchFailed(Exception exception, int statements);
}
