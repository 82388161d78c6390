using System.Globalization;
using Orchestrator.Abstractions.Nodes;
using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>The <c>orch nodes</c> table: status, allocation against capacity, tasks, labels and measured load.</summary>
internal static class NodeTable
{
    /// <summary>What a figure the node could not measure prints as.</summary>
    public const string Unknown = "-";

    public static Table Render(IEnumerable<NodeInfo> nodes, DateTimeOffset now)
    {
        var table = Tables.Create("NAME", "STATUS", "CPU (ALLOC/TOTAL)", "MEMORY MB (ALLOC/TOTAL)", "TASKS", "LABELS", "CPU%", "MEM MB (USED/TOTAL)", "DISK FREE MB", "LOAD", "HEARTBEAT");
        foreach (var node in nodes)
        {
            table.AddTextRow(
                node.Name,
                node.StatusReason is { Length: > 0 } reason && node.Status != NodeStatus.Ready ? $"{node.Status} ({reason})" : node.Status.ToString(),
                Invariant($"{node.AllocatedCpu:0.##}/{node.Cpus:0.##}"),
                Invariant($"{node.AllocatedMemoryMb}/{node.MemoryMb}"),
                node.Tasks.ToString(CultureInfo.InvariantCulture),
                string.Join(",", node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
                node.Stats.CpuPercent is { } cpu ? Invariant($"{cpu:0.#}") : Unknown,
                Memory(node.Stats),
                node.Stats.DiskFreeMb is { } disk ? disk.ToString(CultureInfo.InvariantCulture) : Unknown,
                node.Stats.Load1 is { } load ? Invariant($"{load:0.##}") : Unknown,
                node.LastHeartbeat == default ? Unknown : Ages.Since(node.LastHeartbeat, now) + " ago");
        }
        return table;
    }

    private static string Memory(NodeStats stats) => (stats.MemoryUsedMb, stats.MemoryTotalMb) switch
    {
        (null, null) => Unknown,
        var (used, total) => $"{Number(used)}/{Number(total)}",
    };

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
