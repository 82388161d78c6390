using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// One grain's read, write or delete waiting for its batch, and the task its grain awaits. The task ends only once
/// the batch's transaction has committed (or failed), never when the statement alone has run.
/// </summary>
internal sealed class StateStatement
{
    private readonly TaskCompletionSource<StateRow?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StateStatement(StatementKind kind, StateRowKey key, int? version, ReadOnlyMemory<byte> payload)
    {
        Kind = kind;
        Key = key;
        Version = version;
        Payload = payload;
    }

    public StatementKind Kind { get; }

    public StateRowKey Key { get; }

    /// <summary>The version (ETag) the grain holds, which a write or delete must find stored; null when it holds none.</summary>
    public int? Version { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The row the statement returned, or null when it returned none; set only after the commit.</summary>
    public Task<StateRow?> Completion => _completion.Task;

    public static StateStatement Read(StateRowKey key) => new(StatementKind.Read, key, null, ReadOnlyMemory<byte>.Empty);

    public static StateStatement Write(StateRowKey key, int? version, ReadOnlyMemory<byte> payload) => new(StatementKind.Write, key, version, payload);

    public static StateStatement Delete(StateRowKey key, int? version) => new(StatementKind.Delete, key, version, ReadOnlyMemory<byte>.Empty);

    public void Complete(StateRow? row) => _completion.TrySetResult(row);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    /// <summary>The statement with its parameters, in the order of <see cref="StateQueries.Parameters"/>, unnamed: positional.</summary>
    public NpgsqlBatchCommand ToCommand(StateQueries queries)
    {
        var command = new NpgsqlBatchCommand(Kind switch
        {
            StatementKind.Read => queries.Read,
            StatementKind.Write => queries.Write,
            _ => queries.Delete,
        });
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = Key.ServiceId });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = Key.StateNameHash });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = Key.GrainHash });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = Key.N0 });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = Key.N1 });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = Key.StateName });
        // Typed even when null: a prepared statement keeps the parameter types of its first execution.
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)Key.Extension ?? DBNull.Value });
        if (Kind != StatementKind.Read)
        {
            parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)Version ?? DBNull.Value });
        }
        if (Kind == StatementKind.Write)
        {
            parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = Payload });
        }
        return command;
    }
}
