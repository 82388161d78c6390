using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Bench;

/// <summary>
/// A scenario's result: named figures (a JSON key, a label and a unit each), optional detail tables, and notes.
/// Rendered either as one JSON object or as a readable table.
/// </summary>
internal sealed class BenchReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    private readonly JsonObject _json = [];
    private readonly List<(string Label, string Value)> _figures = [];
    private readonly List<(string Title, string[] Header, List<string[]> Rows)> _tables = [];
    private readonly List<string> _notes = [];

    public BenchReport(string scenario, string title)
    {
        Title = title;
        _json["scenario"] = scenario;
    }

    public string Title { get; }

    /// <summary>A figure: in JSON under <paramref name="key"/>, rounded to <paramref name="decimals"/>; in the table as label, value and unit.</summary>
    public void Add(string key, double value, string label, string unit = "", int decimals = 2)
    {
        var rounded = Math.Round(value, decimals);
        _json[key] = rounded;
        _figures.Add((label, (rounded.ToString("0." + new string('#', Math.Max(decimals, 1)), CultureInfo.InvariantCulture) + " " + unit).TrimEnd()));
    }

    /// <summary>A text figure (a version, a name).</summary>
    public void Add(string key, string value, string label)
    {
        _json[key] = value;
        _figures.Add((label, value));
    }

    /// <summary>A detail table; in JSON an array of objects under <paramref name="key"/>, keyed by <paramref name="jsonKeys"/>.</summary>
    public void AddTable(string key, string title, IReadOnlyList<string> header, IReadOnlyList<string> jsonKeys, IEnumerable<IReadOnlyList<object>> rows)
    {
        var array = new JsonArray();
        var texts = new List<string[]>();
        foreach (var row in rows)
        {
            var item = new JsonObject();
            for (var i = 0; i < jsonKeys.Count; i++)
            {
                item[jsonKeys[i]] = row[i] switch
                {
                    double d => JsonValue.Create(Math.Round(d, 3)),
                    int n => JsonValue.Create(n),
                    var other => JsonValue.Create(Convert.ToString(other, CultureInfo.InvariantCulture)),
                };
            }
            array.Add(item);
            texts.Add(row.Select(v => v is double d ? d.ToString("0.000", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray());
        }
        _json[key] = array;
        _tables.Add((title, header.ToArray(), texts));
    }

    /// <summary>A line under the table (never in JSON): what bounds a figure, what was left out.</summary>
    public void Note(string line) => _notes.Add(line);

    public string ToJson() => _json.ToJsonString(Indented);

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(Title);
        text.AppendLine(new string('=', Title.Length));
        var width = _figures.Count == 0 ? 0 : _figures.Max(f => f.Label.Length);
        foreach (var (label, value) in _figures)
        {
            text.Append(label.PadRight(width)).Append("  ").AppendLine(value);
        }
        foreach (var (title, header, rows) in _tables)
        {
            text.AppendLine().AppendLine(title);
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
            foreach (var row in rows)
            {
                text.AppendLine(string.Join("  ", row.Select((v, i) => v.PadLeft(widths[i]))));
            }
        }
        if (_notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in _notes)
            {
                text.Append("- ").AppendLine(note);
            }
        }
        return text.ToString();
    }
}
