using Orchestrator.Abstractions.Nodes;
using Orchestrator.Client.Output;
using Xunit;

namespace Orchestrator.Tests.Client.Output;

/// <summary>The <c>orch nodes</c> table as a pipe sees it: machine figures, and "-" for what a node cannot measure.</summary>
public sealed class NodeTableTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly NodeInfo Node = new()
    {
        Name = "node-a",
        Status = NodeStatus.Ready,
        Cpus = 2,
        MemoryMb = 4096,
        AllocatedCpu = 0.5,
        AllocatedMemoryMb = 128,
        Tasks = 3,
        Labels = new Dictionary<string, string> { ["zone"] = "a" },
        LastHeartbeat = Now.AddSeconds(-2),
    };

    [Fact]
    public void Measured_figures_are_printed_in_their_columns()
    {
        var node = Node with
        {
            Stats = new NodeStats { CpuPercent = 37.46, MemoryUsedMb = 1024, MemoryTotalMb = 4096, DiskFreeMb = 51200, Load1 = 0.5 },
        };

        var cells = Cells(node);

        Assert.Equal("37.5", cells["CPU%"]);
        Assert.Equal("1024/4096", cells["MEM MB (USED/TOTAL)"]);
        Assert.Equal("51200", cells["DISK FREE MB"]);
        Assert.Equal("0.5", cells["LOAD"]);
        Assert.Equal("2s ago", cells["HEARTBEAT"]);
    }

    [Fact]
    public void Unknown_figures_print_as_a_dash()
    {
        var cells = Cells(Node with { Stats = new NodeStats() });

        Assert.Equal("-", cells["CPU%"]);
        Assert.Equal("-", cells["MEM MB (USED/TOTAL)"]);
        Assert.Equal("-", cells["DISK FREE MB"]);
        Assert.Equal("-", cells["LOAD"]);
        Assert.Equal("0.5/2", cells["CPU (ALLOC/TOTAL)"]);
        Assert.Equal("128/4096", cells["MEMORY MB (ALLOC/TOTAL)"]);
    }

    [Fact]
    public void A_known_total_with_unknown_used_memory_shows_which_is_unknown()
    {
        var cells = Cells(Node with { Stats = new NodeStats { MemoryTotalMb = 4096 } });

        Assert.Equal("-/4096", cells["MEM MB (USED/TOTAL)"]);
    }

    /// <summary>Renders one node as a pipe would receive it and cuts its row at the header's column starts.</summary>
    private static Dictionary<string, string> Cells(NodeInfo node)
    {
        using var output = new StringWriter();
        var console = new CliConsole(output, TextWriter.Null, IsTerminal: false).CreateAnsiConsole();
        console.Write(NodeTable.Render([node], Now));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(2, lines.Count);
        var (header, row) = (lines[0], lines[1]);
        string[] headers = ["NAME", "STATUS", "CPU (ALLOC/TOTAL)", "MEMORY MB (ALLOC/TOTAL)", "TASKS", "LABELS", "CPU%", "MEM MB (USED/TOTAL)", "DISK FREE MB", "LOAD", "HEARTBEAT"];
        var starts = headers.Select(h => header.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, starts);
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Length; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : row.Length;
            cells[headers[i]] = row[starts[i]..Math.Min(end, row.Length)].Trim();
        }
        return cells;
    }
}
