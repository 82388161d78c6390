using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orchestrator.Testing;

/// <summary>
/// Removes every trace a rig can leave on the host, whether its engines shut down cleanly or its test run
/// was killed: its dockerd, containerd and shim processes, the processes of its containers, their cgroups,
/// the mounts under its root, its bridges and its root folder.
/// </summary>
/// <remarks>
/// A dockerd killed with SIGKILL takes its containerd along but leaves the shims and the containers running,
/// and the containers' processes mention neither the rig's root nor its sockets; they are found by their
/// cgroup, which carries the container's id, and the ids are the folder names under each engine's
/// <c>data/containers</c>.
/// </remarks>
internal static partial class RigSweeper
{
    public const string TempFolder = "/tmp";
    public const string RootPrefix = "orch-rig-";

    public static string RootOf(string rigTag) => Path.Combine(TempFolder, RootPrefix + rigTag);

    /// <summary>Sweeps every rig whose owning test run is gone: roots on disk, roots processes mention, and bridges.</summary>
    public static async Task CleanUpLeftoversAsync()
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(TempFolder, RootPrefix + "*"))
        {
            if (RootName().Match(Path.GetFileName(dir)) is { Success: true } match)
            {
                tags.Add(match.Groups[1].Value);
            }
        }
        foreach (var process in HostProcess.All())
        {
            foreach (Match match in RootMention().Matches(process.CommandLine))
            {
                tags.Add(match.Groups[1].Value);
            }
        }
        var bridges = await RigBridges.ListAsync();
        tags.UnionWith(bridges.Select(b => b.RigTag));

        var problems = new List<Exception>();
        foreach (var tag in tags.Where(t => !RigOwnership.IsLive(RootOf(t))))
        {
            await SweepAsync(RootOf(tag), bridges.Where(b => b.RigTag == tag).Select(b => b.Bridge), problems);
        }
        if (problems.Count > 0)
        {
            throw new AggregateException("could not clean up what an earlier test run left behind", problems);
        }
    }

    /// <summary>Removes all of a rig from the host, recording what failed in <paramref name="problems"/> and going on.</summary>
    public static async Task SweepAsync(string root, IEnumerable<string> bridges, List<Exception> problems)
    {
        await Attempt(problems, () => KillProcessesAsync(root));
        await Attempt(problems, () => Task.Run(() => RemoveCgroups(ContainerIds(root))));
        await Attempt(problems, () => UnmountAllUnderAsync(root));
        foreach (var bridge in bridges)
        {
            await Attempt(problems, () => RigBridges.DeleteAsync(bridge));
        }
        await Attempt(problems, () => Task.Run(() => DeleteFolder(root)));
    }

    /// <summary>Processes still running for the rig at <paramref name="root"/>: its daemons, shims and containers.</summary>
    public static IReadOnlyList<HostProcess> ProcessesOf(string root)
    {
        var mention = root + "/";
        var ids = ContainerIds(root);
        return HostProcess.All()
            .Where(p => p.Pid != Environment.ProcessId)
            .Where(p => p.CommandLine.Contains(mention, StringComparison.Ordinal) || ids.Overlaps(p.CgroupLeaves))
            .ToArray();
    }

    private static async Task KillProcessesAsync(string root)
    {
        for (var round = 0; round < 10; round++)
        {
            var processes = ProcessesOf(root);
            if (processes.Count == 0)
            {
                return;
            }
            foreach (var process in processes)
            {
                Kill(process.Pid);
            }
            await Task.Delay(200);
        }
        var left = ProcessesOf(root);
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"processes of {root} survived SIGKILL: {string.Join("; ", left)}");
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    private static HashSet<string> ContainerIds(string root)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return ids;
        }
        foreach (var engine in Directory.GetDirectories(root))
        {
            var containers = Path.Combine(engine, "data", "containers");
            if (Directory.Exists(containers))
            {
                ids.UnionWith(Directory.GetDirectories(containers).Select(Path.GetFileName).OfType<string>().Where(id => ContainerId().IsMatch(id)));
            }
        }
        return ids;
    }

    /// <summary>Removes the now empty cgroups runc would have removed, had the containers been stopped through it.</summary>
    private static void RemoveCgroups(HashSet<string> ids)
    {
        if (ids.Count == 0 || !Directory.Exists("/sys/fs/cgroup"))
        {
            return;
        }
        var parents = Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup")
            .Select(c => Path.Combine(c, "docker"))
            .Where(Directory.Exists)
            .ToArray();
        foreach (var parent in parents)
        {
            foreach (var id in ids)
            {
                var cgroup = Path.Combine(parent, id);
                if (Directory.Exists(cgroup))
                {
                    // A cgroup folder is removed with rmdir, files and all; a recursive delete would fail on its files.
                    Directory.Delete(cgroup, recursive: false);
                }
            }
        }
    }

    private static async Task UnmountAllUnderAsync(string root)
    {
        var prefix = root + "/";
        var mountPoints = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(point => point == root || point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length)
            .ToArray();
        foreach (var point in mountPoints)
        {
            // Lazy: a mount still held by a dying process must not keep the folder from going.
            var result = await HostCommand.RunAsync("umount", "-l", point);
            if (result.ExitCode != 0 && IsMounted(point))
            {
                throw new InvalidOperationException($"could not unmount {point}: {result}");
            }
        }
    }

    private static bool IsMounted(string point) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ') is { Length: > 4 } fields && Unescape(fields[4]) == point);

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as octal escapes.</summary>
    private static string Unescape(string path) =>
        OctalEscape().Replace(path, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    private static void DeleteFolder(string root)
    {
        for (var attempt = 1; Directory.Exists(root); attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                // A process killed a moment ago may still be closing files in it.
                Thread.Sleep(200);
            }
        }
    }

    private static async Task Attempt(List<Exception> problems, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            lock (problems)
            {
                problems.Add(e);
            }
        }
    }

    [GeneratedRegex("^orch-rig-([0-9a-f]{4})$")]
    private static partial Regex RootName();

    [GeneratedRegex("/tmp/orch-rig-([0-9a-f]{4})(?![0-9a-zA-Z])")]
    private static partial Regex RootMention();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ContainerId();

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();
}
