using System.Text.Json;

namespace Orchestrator.Client.Output;

/// <summary>
/// The <c>--json</c> format of streams that do not end (<c>orch logs</c>, <c>orch events -f</c>): one
/// compact JSON object per line, written as it arrives.
/// </summary>
internal static class JsonLines
{
    private static readonly JsonSerializerOptions Compact = new(JsonOutput.Options) { WriteIndented = false };

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, Compact));
        writer.Flush();
    }
}
