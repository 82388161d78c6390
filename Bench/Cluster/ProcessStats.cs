using System.Globalization;

namespace Orchestrator.Bench.Cluster;

/// <summary>What <c>/proc</c> tells about a process's resources: peak resident memory and CPU time used.</summary>
internal static class ProcessStats
{
    /// <summary>Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every platform .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmHWM, the resident set's high-water mark, in MiB; null once the process is gone.</summary>
    public static double? PeakResidentMb(int pid) => StatusMb(pid, "VmHWM:");

    /// <summary>VmRSS, the resident set now, in MiB; null once the process is gone.</summary>
    public static double? ResidentMb(int pid) => StatusMb(pid, "VmRSS:");

    /// <summary>A memory line of <c>/proc/PID/status</c> ("VmRSS:    123456 kB") in MiB.</summary>
    private static double? StatusMb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"))
                .FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User plus system CPU seconds the process has used so far; null once it is gone.</summary>
    public static double? CpuSeconds(int pid) => Stat(pid) is { } fields ? (Field(fields, 14) + Field(fields, 15)) / TicksPerSecond : null;

    /// <summary>
    /// CPU seconds of the process and every descendant, running or already ended: the ended ones are in their
    /// parent's cutime and cstime once it has waited for them, as PostgreSQL's postmaster does for its backends.
    /// Null once the process is gone.
    /// </summary>
    public static double? TreeCpuSeconds(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && Stat(child) is { } fields)
            {
                var parent = (int)Field(fields, 4);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }
                list.Add(child);
            }
        }
        double? Tree(int id) => Stat(id) is { } fields
            ? ((Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17)) / TicksPerSecond)
                + children.GetValueOrDefault(id, []).Sum(c => Tree(c) ?? 0)
            : null;
        return Tree(pid);
    }

    /// <summary>The parent's process id; null once the process is gone.</summary>
    public static int? ParentId(int pid) => Stat(pid) is { } fields ? (int)Field(fields, 4) : null;

    /// <summary>The process's command name (<c>/proc/PID/comm</c>); null when no such process runs here.</summary>
    public static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds all cores of the machine have spent busy (not idle or waiting for I/O) since boot, from <c>/proc/stat</c>.</summary>
    public static double MachineBusySeconds()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) / TicksPerSecond;
    }

    /// <summary>The machine's load averages over 1, 5 and 15 minutes, as <c>/proc/loadavg</c> has them.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The fields of <c>/proc/PID/stat</c> from field 3 (the state) on; null once the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // The command name in field 2 may hold spaces and parentheses; the fields after its last ')' do not.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field <paramref name="number"/> of <c>/proc/PID/stat</c>, numbered from 1 as proc(5) numbers them.</summary>
    private static long Field(string[] fromThird, int number) => long.Parse(fromThird[number - 3], CultureInfo.InvariantCulture);
}
