using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orchestrator.Client.Output;

/// <summary>Borderless, kubectl-style tables whose cells are plain text, never markup.</summary>
internal static class Tables
{
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).NoWrap());
        }
        return table;
    }

    public static void AddTextRow(this Table table, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow([.. cells.Select(c => (IRenderable)new Text(c ?? ""))]);
    }
}
