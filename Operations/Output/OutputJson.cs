using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Operations.Output;

/// <summary>
/// How the shapes of this folder are written, by <c>orch --json</c> and by the HTTP API alike: camelCase, enums by
/// name. One definition, so that a script reads the same document from either.
/// </summary>
public static class OutputJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Gives <paramref name="options"/> (web defaults assumed) what the shapes need; for options owned by a host, such as ASP.NET Core's.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
