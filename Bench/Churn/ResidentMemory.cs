using System.Globalization;

namespace Orchestrator.Bench.Churn;

/// <summary>A process's resident memory now, from <c>/proc/PID/status</c>.</summary>
internal static class ResidentMemory
{
    /// <summary>VmRSS in MiB; null once the process is gone.</summary>
    public static double? CurrentMb(int pid)
    {
        try
        {
            var line = File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"))
                .FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            // "VmRSS:    123456 kB"
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
