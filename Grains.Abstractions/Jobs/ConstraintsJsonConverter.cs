using System.Text.Json;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Reads and writes the job file's <c>constraints</c>: label → a value (equality, the original form) or an object
/// holding exactly one operator, <c>{"in": [...]}</c>, <c>{"notIn": [...]}</c>, <c>{"exists": true}</c> or
/// <c>{"notExists": true}</c>. A wrong shape is refused with the label's field and the rule; rules on the values
/// themselves (how many, how long) are <see cref="JobSpecValidator"/>'s.
/// </summary>
public sealed class ConstraintsJsonConverter : System.Text.Json.Serialization.JsonConverter<IReadOnlyDictionary<string, LabelConstraint>>
{
    private const string In = "in";
    private const string NotIn = "notIn";
    private const string Exists = "exists";
    private const string NotExists = "notExists";
    private const string Shape = $"must be a string, or an object with one of {In}, {NotIn}, {Exists}, {NotExists}";

    public override IReadOnlyDictionary<string, LabelConstraint> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Refused("constraints", "must be an object: label → a value, or an object with one of in, notIn, exists, notExists");
        }
        var constraints = new Dictionary<string, LabelConstraint>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var label = reader.GetString()!;
            reader.Read();
            constraints[label] = ReadOne(ref reader, $"constraints.{label}");
        }
        return constraints;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, LabelConstraint> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (label, constraint) in value)
        {
            writer.WritePropertyName(label);
            switch (constraint.Operator)
            {
                case ConstraintOperator.Is:
                    writer.WriteStringValue(constraint.Values.Count > 0 ? constraint.Values[0] : "");
                    break;
                case ConstraintOperator.In or ConstraintOperator.NotIn:
                    writer.WriteStartObject();
                    writer.WriteStartArray(constraint.Operator == ConstraintOperator.In ? In : NotIn);
                    foreach (var item in constraint.Values)
                    {
                        writer.WriteStringValue(item);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteStartObject();
                    writer.WriteBoolean(constraint.Operator == ConstraintOperator.Exists ? Exists : NotExists, true);
                    writer.WriteEndObject();
                    break;
            }
        }
        writer.WriteEndObject();
    }

    private static LabelConstraint ReadOne(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return LabelConstraint.Is(reader.GetString()!);
            case JsonTokenType.Null:
                throw Refused(field, "must not be null");
            case JsonTokenType.StartObject:
                break;
            default:
                throw Refused(field, Shape);
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            throw Refused(field, Shape);
        }
        var name = reader.GetString()!;
        reader.Read();
        var constraint = name switch
        {
            In => new LabelConstraint { Operator = ConstraintOperator.In, Values = ReadValues(ref reader, $"{field}.{In}") },
            NotIn => new LabelConstraint { Operator = ConstraintOperator.NotIn, Values = ReadValues(ref reader, $"{field}.{NotIn}") },
            Exists => ReadTrue(ref reader, $"{field}.{Exists}", ConstraintOperator.Exists, $"must be true (for a label that must be absent, use {NotExists})"),
            NotExists => ReadTrue(ref reader, $"{field}.{NotExists}", ConstraintOperator.NotExists, $"must be true (for a label that must be present, use {Exists})"),
            _ => throw Refused($"{field}.{name}", $"unknown operator; use one of {In}, {NotIn}, {Exists}, {NotExists}"),
        };
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw Refused(field, $"must hold exactly one operator ({In}, {NotIn}, {Exists} or {NotExists})");
        }
        return constraint;
    }

    private static string[] ReadValues(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Refused(field, "must be a list of strings");
        }
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Refused($"{field}[{values.Count}]", "must be a string");
            }
            values.Add(reader.GetString()!);
        }
        return [.. values];
    }

    private static LabelConstraint ReadTrue(ref Utf8JsonReader reader, string field, ConstraintOperator op, string rule) =>
        reader.TokenType == JsonTokenType.True ? new LabelConstraint { Operator = op } : throw Refused(field, rule);

    private static JobSpecException Refused(string field, string rule) => new([new SpecError(field, rule)]);
}
