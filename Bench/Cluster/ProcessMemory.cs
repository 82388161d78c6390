using System.Globalization;

namespace Orchestrator.Bench.Cluster;

/// <summary>A process's peak resident memory, from <c>/proc/PID/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM, the resident set's high-water mark, in MiB; null once the process is gone.</summary>
    public static double? PeakResidentMb(int pid)
    {
        try
        {
            var line = File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"))
                .FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            // "VmHWM:    123456 kB"
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
