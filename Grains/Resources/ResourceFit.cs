using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Resources;

/// <summary>
/// Whether one more replica fits on a node beside what the node has allocated: its cpu, its memory and its fixed
/// host ports. The scheduler's filters ask it of the node directory's figures and the node asks it of its own
/// ledger, so the scheduler's advice and the node's verdict are the same arithmetic and read the same.
/// </summary>
public static class ResourceFit
{
    /// <summary>
    /// Slack for cpu sums: allocations are sums of decimal fractions (0.1 + 0.2 ≠ 0.3 in binary), and a
    /// replica that fills a node exactly must still fit.
    /// </summary>
    public const double CpuEpsilon = 1e-9;

    private const string Cpu = "cpu";
    private const string Memory = "memory";

    /// <summary>
    /// What <paramref name="request"/> lacks beside the allocations on a node of <paramref name="cpus"/> cores and
    /// <paramref name="memoryMb"/> MB (free = capacity − allocated), cpu before memory; empty when it fits.
    /// </summary>
    public static IReadOnlyList<ResourceShortfall> Shortfalls(ResourceSpec request, double cpus, long memoryMb, double allocatedCpu, long allocatedMemoryMb)
    {
        ArgumentNullException.ThrowIfNull(request);
        var freeCpu = cpus - allocatedCpu;
        var freeMemoryMb = memoryMb - allocatedMemoryMb;
        var shortfalls = new List<ResourceShortfall>(2);
        if (request.Cpu > freeCpu + CpuEpsilon)
        {
            shortfalls.Add(new ResourceShortfall(Cpu, request.Cpu, freeCpu, cpus));
        }
        if (request.MemoryMb > freeMemoryMb)
        {
            shortfalls.Add(new ResourceShortfall(Memory, request.MemoryMb, freeMemoryMb, memoryMb));
        }
        return shortfalls;
    }

    /// <summary>The class a rejection for <paramref name="shortfalls"/> counts under: that of the first.</summary>
    public static string ReasonOf(IReadOnlyList<ResourceShortfall> shortfalls)
    {
        ArgumentNullException.ThrowIfNull(shortfalls);
        return shortfalls[0].Resource == Cpu ? RejectionReasons.InsufficientCpu : RejectionReasons.InsufficientMemory;
    }

    /// <summary>The shortfalls as one line: <c>insufficient cpu: need 1.5, free 0.5</c>.</summary>
    public static string Describe(IEnumerable<ResourceShortfall> shortfalls) => string.Join("; ", shortfalls.Select(Describe));

    /// <summary>
    /// The fixed host ports of <paramref name="wanted"/> that <paramref name="used"/> already holds, each once, in
    /// order. Port 0 asks for any free port, which every node has.
    /// </summary>
    public static IReadOnlyList<int> TakenPorts(IEnumerable<int> wanted, IEnumerable<int> used) =>
        wanted.Where(p => p != 0 && used.Contains(p)).Distinct().Order().ToList();

    /// <summary>The taken ports as one line: <c>port in use: host port 8080 already taken on the node</c>.</summary>
    public static string DescribeTakenPorts(IReadOnlyList<int> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        return $"{RejectionReasons.PortInUse}: host {(taken.Count == 1 ? "port" : "ports")} {string.Join(", ", taken)} already taken on the node";
    }

    private static string Describe(ResourceShortfall s) => s.Resource == Cpu
        ? $"{RejectionReasons.InsufficientCpu}: need {Cores(s.Requested)}, free {Cores(Math.Max(0, s.Free))}"
        : $"{RejectionReasons.InsufficientMemory}: need {Megabytes(s.Requested)} MB, free {Megabytes(Math.Max(0, s.Free))} MB";

    // Three decimals hide binary noise (0.49999999999 shows as 0.5) without hiding the 0.01-core minimum.
    private static string Cores(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Megabytes(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
