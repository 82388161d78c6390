using System.Globalization;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes.Stats;

/// <summary>
/// Machine figures from Linux's /proc (stat, meminfo, loadavg) and the free space of one file system.
/// </summary>
/// <remarks>
/// <para>
/// CPU % is busy time over total time between two successive samples of the <c>cpu</c> line of
/// /proc/stat, across all cores (idle and iowait count as idle). A baseline is read at construction,
/// so the first <see cref="Sample"/> already covers the time since the node started; without a
/// baseline (/proc/stat unreadable until now) the sample has no delta and CPU % is null. When less than
/// one clock tick passed since the previous sample, that sample's percentage is repeated rather than
/// dividing by zero.
/// </para>
/// <para>
/// Each reader stands alone: a file that is missing, unreadable or garbled makes only its own fields
/// null. All callers share one baseline, guarded by a lock, so one instance serves every node grain
/// of a silo.
/// </para>
/// </remarks>
public sealed class ProcMachineStats : IMachineStats
{
    private const long KiBPerMiB = 1024;
    private const long BytesPerMiB = 1024 * 1024;

    private readonly string _procRoot;
    private readonly string _diskPath;
    private readonly Lock _cpuLock = new();
    private readonly long _reuseForMs;
    private CpuTimes? _previous;
    private double? _lastCpuPercent;
    private (long At, NodeStats Stats)? _lastSample;

    /// <param name="procRoot">Where /proc is; tests point it at a folder of fixture files.</param>
    /// <param name="diskPath">A path on the file system whose free space is reported.</param>
    /// <param name="reuseFor">
    /// How long a sample is answered again instead of reading /proc anew: node reports follow every reservation, and
    /// at hundreds of them a second the reads cost more than the figures are worth. Zero reads every time.
    /// </param>
    public ProcMachineStats(string procRoot = "/proc", string diskPath = "/", TimeSpan reuseFor = default)
    {
        _procRoot = procRoot;
        _diskPath = diskPath;
        _reuseForMs = (long)reuseFor.TotalMilliseconds;
        _previous = ReadCpuTimes();
    }

    public NodeStats Sample()
    {
        var now = Environment.TickCount64;
        lock (_cpuLock)
        {
            if (_lastSample is { } last && now - last.At < _reuseForMs)
            {
                return last.Stats;
            }
        }
        var (used, total) = ReadMemory();
        var stats = new NodeStats
        {
            CpuPercent = SampleCpuPercent(),
            MemoryUsedMb = used,
            MemoryTotalMb = total,
            DiskFreeMb = ReadDiskFreeMb(),
            Load1 = ReadLoad1(),
        };
        lock (_cpuLock)
        {
            _lastSample = (now, stats);
        }
        return stats;
    }

    private double? SampleCpuPercent()
    {
        var current = ReadCpuTimes();
        lock (_cpuLock)
        {
            var previous = _previous;
            if (current is null)
            {
                // Forget the old baseline and percentage: a later reading must not be compared across a gap
                // in which the counters could not be seen.
                _previous = null;
                _lastCpuPercent = null;
                return null;
            }
            if (previous is null)
            {
                _previous = current;
                return null;
            }
            var totalDelta = current.Total - previous.Total;
            var busyDelta = current.Busy - previous.Busy;
            if (totalDelta == 0 && busyDelta == 0)
            {
                return _lastCpuPercent;
            }
            _previous = current;
            // Counters that went backwards mean a wrapped counter or a garbled read, not a measurement.
            if (totalDelta < 0 || busyDelta < 0 || busyDelta > totalDelta)
            {
                _lastCpuPercent = null;
                return null;
            }
            _lastCpuPercent = Math.Round(100.0 * busyDelta / totalDelta, 2);
            return _lastCpuPercent;
        }
    }

    /// <summary>The aggregate <c>cpu</c> line: user nice system idle iowait irq softirq steal [guest guest_nice].</summary>
    private CpuTimes? ReadCpuTimes()
    {
        var text = ReadProcFile("stat");
        if (text is null)
        {
            return null;
        }
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        if (fields.Count < 4)
        {
            return null;
        }
        var values = new long[Math.Min(fields.Count, 8)];
        for (var i = 0; i < values.Length; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }
        // Guest time is already counted in user and nice, so only the first eight columns add up to the total.
        var total = values.Sum();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        return new CpuTimes(total - idle, total);
    }

    private (long? UsedMb, long? TotalMb) ReadMemory()
    {
        var text = ReadProcFile("meminfo");
        if (text is null)
        {
            return (null, null);
        }
        var totalKiB = MeminfoKiB(text, "MemTotal");
        var availableKiB = MeminfoKiB(text, "MemAvailable");
        long? used = totalKiB is { } t && availableKiB is { } a && a <= t ? (t - a) / KiBPerMiB : null;
        return (used, totalKiB / KiBPerMiB);
    }

    private static long? MeminfoKiB(string meminfo, string key)
    {
        var prefix = key + ":";
        var line = meminfo.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var fields = line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is [var value, "kB"] && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib
            : null;
    }

    private double? ReadLoad1()
    {
        var text = ReadProcFile("loadavg");
        var first = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null
            && double.TryParse(first, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var load)
            && double.IsFinite(load)
            ? load
            : null;
    }

    private long? ReadDiskFreeMb()
    {
        try
        {
            return new DriveInfo(_diskPath).AvailableFreeSpace / BytesPerMiB;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private string? ReadProcFile(string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_procRoot, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record CpuTimes(long Busy, long Total);
}
