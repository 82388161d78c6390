using System.Text.Json;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Output;

/// <summary>The <c>--json</c> format: the shared output shapes (<see cref="OutputJson"/>), indented; nothing else goes to stdout.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new(OutputJson.Options) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Serialize(value));
    }
}
