using System.Globalization;

namespace Orchestrator.Testing;

/// <summary>What /proc tells about one live (not zombie) process.</summary>
internal sealed record HostProcess(int Pid, string CommandLine, IReadOnlySet<string> CgroupLeaves)
{
    public static IEnumerable<HostProcess> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            HostProcess? info;
            try
            {
                info = Read(pid, dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It exited while being read.
                continue;
            }
            if (info is not null)
            {
                yield return info;
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {CommandLine}");

    private static HostProcess? Read(int pid, string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
        {
            // A zombie only waits to be reaped; killing it does nothing.
            return null;
        }
        var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').TrimEnd();
        // "4:memory:/docker/<id>" (cgroup v1) or "0::/docker/<id>" (v2): the leaf is the container id.
        var leaves = File.ReadAllLines(Path.Combine(dir, "cgroup"))
            .Select(line => line[(line.LastIndexOf('/') + 1)..])
            .ToHashSet(StringComparer.Ordinal);
        return new HostProcess(pid, commandLine, leaves);
    }
}
