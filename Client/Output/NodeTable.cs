using System.Globalization;
using Orchestrator.Abstractions.Nodes;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch nodes</c> table: status, allocation against capacity, tasks, labels and measured load.</summary>
internal static class NodeTable
{
    public static Table Render(IEnumerable<NodeInfo> nodes, DateTimeOffset now)
    {
        var table = Tables.Create("NAME", "STATUS", "CPU (ALLOC/TOTAL)", "MEMORY MB (ALLOC/TOTAL)", "TASKS", "LABELS", "CPU%", "MEM USED MB", "HEARTBEAT");
        foreach (var node in nodes)
        {
            table.AddTextRow(
                node.Name,
                node.StatusReason is { Length: > 0 } reason && node.Status != NodeStatus.Ready ? $"{node.Status} ({reason})" : node.Status.ToString(),
                Invariant($"{node.AllocatedCpu:0.##}/{node.Cpus:0.##}"),
                Invariant($"{node.AllocatedMemoryMb}/{node.MemoryMb}"),
                node.Tasks.ToString(CultureInfo.InvariantCulture),
                string.Join(",", node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
                node.Stats.CpuPercent is { } cpu ? Invariant($"{cpu:0.#}") : "-",
                node.Stats.MemoryUsedMb is { } used ? used.ToString(CultureInfo.InvariantCulture) : "-",
                node.LastHeartbeat == default ? "-" : Ages.Since(node.LastHeartbeat, now) + " ago");
        }
        return table;
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
