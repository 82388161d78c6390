using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// <c>SCENARIO [--name value]... [--json]</c>. Scenarios read their options by name; an option none of them read
/// is a usage error, so a misspelt option never silently falls back to its default.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private BenchArguments(string scenario, bool json)
    {
        Scenario = scenario;
        Json = json;
    }

    public string Scenario { get; }

    /// <summary>Print one JSON object on stdout instead of the table.</summary>
    public bool Json { get; }

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("name a scenario: engine, scale, failover, churn or storage");
        }
        var json = false;
        var options = new List<(string, string)>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--json")
            {
                json = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"option {arg} needs a value");
            }
            options.Add((arg[2..], args[++i]));
        }
        var parsed = new BenchArguments(args[0], json);
        foreach (var (name, value) in options)
        {
            if (!parsed._options.TryAdd(name, value))
            {
                throw new UsageException($"option --{name} is given twice");
            }
        }
        return parsed;
    }

    /// <summary>A whole number option within [min, max], or the default when absent.</summary>
    public int Int(string name, int? fallback, int min, int max)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback ?? throw new UsageException($"--{name} is required");
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max} (got '{text}')");
        }
        return value;
    }

    /// <summary>Fails on options no scenario read.</summary>
    public void EnsureAllRead()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new UsageException($"scenario {Scenario} takes no option {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
