using System.Globalization;
using Orchestrator.Operations.Output;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch history</c> table: one row per version, newest first.</summary>
internal static class HistoryTable
{
    public static Table Render(IEnumerable<HistoryRow> versions, DateTimeOffset now)
    {
        var table = Tables.Create("VERSION", "STATUS", "IMAGE", "SUBMITTED", "REASON");
        foreach (var version in versions)
        {
            table.AddTextRow(
                version.Version.ToString(CultureInfo.InvariantCulture),
                version.Status,
                version.Image,
                Ages.Since(version.SubmittedAt, now),
                version.Reason ?? "");
        }
        return table;
    }
}
