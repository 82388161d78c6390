using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Reads a job file (JSON) strictly: unknown fields, wrong types and nulls where a value is required
/// are refused with an error naming the field. Rules on values are <see cref="JobSpecValidator"/>'s job.
/// </summary>
public static partial class JobSpecParser
{
    /// <summary>The options job specs are read and written with, shared by the client and the silo.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    /// <summary>Parses a job file; throws <see cref="JobSpecException"/> naming the offending field.</summary>
    public static JobSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var spec = JsonSerializer.Deserialize<JobSpec>(json, Options)
                ?? throw new JobSpecException(new[] { new SpecError("$", "must be a JSON object, not null") });
            // RespectNullableAnnotations covers properties only, not the items of lists and dictionaries.
            var nulls = JobSpecValidator.FindNulls(spec);
            return nulls.Count == 0 ? spec : throw new JobSpecException(nulls);
        }
        catch (JsonException e)
        {
            throw new JobSpecException(new[] { Describe(e) });
        }
    }

    private static SpecError Describe(JsonException e)
    {
        var field = FieldOf(e.Path);
        var message = e.Message;
        var unmapped = UnmappedProperty().Match(message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups[1].Value;
            var parent = field is "$" ? "" : field;
            // The reported path sometimes already ends with the unknown property itself.
            var path = parent.EndsWith(name, StringComparison.Ordinal) || parent.Length == 0 ? (parent.Length == 0 ? name : parent) : $"{parent}.{name}";
            return new SpecError(path, "unknown field");
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return new SpecError(field, "is required");
        }
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
            || (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase)))
        {
            return new SpecError(field, "must not be null");
        }
        var target = ConvertTarget().Match(message);
        if (target.Success)
        {
            return new SpecError(field, $"must be {Expected(target.Groups[1].Value)}");
        }
        return new SpecError(field, "is not valid JSON here");
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "$";
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Expected(string clrType) => clrType switch
    {
        var t when t.StartsWith("System.Int", StringComparison.Ordinal) => "an integer",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        var t when t.Contains("Dictionary", StringComparison.Ordinal) => "an object of string values",
        var t when t.Contains("List", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"could not be converted to ([\w.`\[\], ]+?)\.( Path|$)")]
    private static partial Regex ConvertTarget();
}
