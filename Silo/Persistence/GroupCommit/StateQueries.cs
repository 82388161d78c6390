using Npgsql;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// The statements that read, write and delete one grain's state row, as Silo/Sql/003_storage.sql stores them in
/// <c>OrleansQuery</c> for Orleans' ADO.NET storage. Both providers run the same statements, which keeps their rules
/// (versions, conflicts, a cleared row) in one place.
/// </summary>
internal sealed record StateQueries(string Read, string Write, string Delete)
{
    // The one query of this provider that is not in Silo/Sql: it is what finds those.
    private const string Load = "SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey IN ('ReadFromStorageKey', 'WriteToStorageKey', 'DeleteStorageKey')";

    public static async Task<StateQueries> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(Load, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                texts[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return new StateQueries(Text(texts, "ReadFromStorageKey"), Text(texts, "WriteToStorageKey"), Text(texts, "DeleteStorageKey"));
    }

    private static string Text(Dictionary<string, string> texts, string key) =>
        texts.TryGetValue(key, out var text)
            ? text
            : throw new InvalidOperationException($"OrleansQuery has no {key}: the schema of Silo/Sql was not applied to this database.");
}
