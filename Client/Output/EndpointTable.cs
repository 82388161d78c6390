using System.Globalization;
using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch endpoints</c> table, by task.</summary>
internal static class EndpointTable
{
    public static Table Render(IEnumerable<EndpointRow> endpoints)
    {
        var table = Tables.Create("TASK", "NODE", "ADDRESS", "CONTAINER PORT", "HEALTHY");
        foreach (var e in endpoints)
        {
            table.AddTextRow(
                e.Task,
                e.Node,
                $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}",
                e.ContainerPort.ToString(CultureInfo.InvariantCulture),
                e.Healthy ? "yes" : "no");
        }
        return table;
    }
}
