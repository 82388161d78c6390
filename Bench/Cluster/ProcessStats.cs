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
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // Fields after the command name (which may hold spaces) start at field 3, the state; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
