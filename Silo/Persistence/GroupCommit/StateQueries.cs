using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Npgsql;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// The statements that read, write and delete one grain's state row, as Silo/Sql/003_storage.sql stores them in
/// <c>OrleansQuery</c> for Orleans' ADO.NET storage. Both providers run the same statements, which keeps their rules
/// (versions, conflicts, a cleared row) in one place. Here their named parameters are numbered once (<c>@ServiceId</c>
/// becomes <c>$1</c>): Npgsql sends a statement with positional parameters as it is, where it would parse and rewrite
/// a named one on every execution, a few percent of a silo's CPU at thousands of writes a second.
/// </summary>
internal sealed partial record StateQueries(string Read, string Write, string Delete)
{
    /// <summary>The statements' parameters in the order <see cref="StateStatement.ToCommand"/> adds them: <c>$1</c> is the first.</summary>
    public static ImmutableArray<string> Parameters { get; } =
    [
        "ServiceId", "GrainTypeHash", "GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeString", "GrainIdExtensionString",
        "GrainStateVersion", "PayloadBinary",
    ];

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

        return new StateQueries(
            Positional(Text(texts, "ReadFromStorageKey")), Positional(Text(texts, "WriteToStorageKey")), Positional(Text(texts, "DeleteStorageKey")));
    }

    /// <summary>The statement with <c>$n</c> for each named parameter, by <see cref="Parameters"/>, and without its closing semicolon.</summary>
    public static string Positional(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var numbered = NamedParameter().Replace(text, match =>
        {
            var index = Parameters.IndexOf(match.Groups[1].Value);
            return index >= 0
                ? $"${index + 1}"
                : throw new InvalidOperationException($"OrleansQuery names a parameter this provider does not set: {match.Value}");
        });
        return numbered.TrimEnd().TrimEnd(';');
    }

    private static string Text(Dictionary<string, string> texts, string key) =>
        texts.TryGetValue(key, out var text)
            ? text
            : throw new InvalidOperationException($"OrleansQuery has no {key}: the schema of Silo/Sql was not applied to this database.");

    [GeneratedRegex(@"@(\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedParameter();
}
