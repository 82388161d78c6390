using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// One numbered script of Silo/Sql, embedded in this assembly. The number orders the scripts and is
/// what <c>schema_version</c> records; the checksum tells whether an applied script was edited later.
/// </summary>
internal sealed partial record SchemaScript(int Version, string Name, string Text, string Checksum)
{
    /// <summary>Loads the embedded scripts, ordered by version.</summary>
    public static IReadOnlyList<SchemaScript> LoadEmbedded()
    {
        var assembly = typeof(SchemaScript).Assembly;
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (match.Success)
            {
                scripts.Add(Load(assembly, resource, match));
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No schema scripts are embedded in {assembly.GetName().Name}.");
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Schema scripts {string.Join(", ", duplicate.Select(s => s.Name))} share version {duplicate.Key}.");
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }

    private static SchemaScript Load(Assembly assembly, string resource, Match match)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} cannot be read.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Line endings depend on the checkout; the checksum should not.
        var text = reader.ReadToEnd().ReplaceLineEndings("\n");
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
        return new SchemaScript(version, match.Groups["name"].Value, text, checksum);
    }

    [GeneratedRegex(@"\.Sql\.(?<version>\d+)_(?<name>\w+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();
}
