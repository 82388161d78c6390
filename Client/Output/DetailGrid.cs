using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>A two-column "Key: value" block for <c>orch inspect</c>; values are plain text, never markup.</summary>
internal sealed class DetailGrid
{
    private readonly Grid _grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();

    public DetailGrid Add(string key, string? value)
    {
        _grid.AddRow(new Text(key + ":", new Style(decoration: Decoration.Bold)), new Text(string.IsNullOrEmpty(value) ? "-" : value));
        return this;
    }

    public void WriteTo(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Write(_grid);
    }
}
