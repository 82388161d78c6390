using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Client.Output;

/// <summary>The <c>--json</c> format: camelCase, enums by name, indented; nothing else goes to stdout.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Serialize(value));
    }
}
