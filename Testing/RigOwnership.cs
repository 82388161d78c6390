using System.Globalization;

namespace Orchestrator.Testing;

/// <summary>
/// Which process owns a rig's root: an <c>owner</c> file holding that process's pid and kernel start time.
/// A rig whose owner no longer runs is a leftover of a crashed run; the start time tells a reused pid apart.
/// </summary>
internal static class RigOwnership
{
    private const string FileName = "owner";

    /// <summary>How long a root without an owner file counts as being set up rather than abandoned.</summary>
    private static readonly TimeSpan SetUpGrace = TimeSpan.FromMinutes(2);

    /// <summary>Claims <paramref name="root"/> for this process; false when another run claimed it first.</summary>
    public static bool TryClaim(string root)
    {
        try
        {
            using var file = new FileStream(Path.Combine(root, FileName), FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(file);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {StartTimeOf(Environment.ProcessId)}"));
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(root, FileName)))
        {
            return false;
        }
    }

    /// <summary>True while the process that claimed <paramref name="root"/> still runs, or the root is still being set up.</summary>
    public static bool IsLive(string root)
    {
        var ownerFile = Path.Combine(root, FileName);
        string[] parts;
        try
        {
            parts = File.ReadAllText(ownerFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Directory.Exists(root) && DateTime.UtcNow - Directory.GetCreationTimeUtc(root) < SetUpGrace;
        }
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid > 0
            && StartTimeOf(pid) is { } started
            && started == parts[1];
    }

    /// <summary>The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null when it is gone.</summary>
    private static string? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && fields[0] != "Z" ? fields[19] : null;
    }
}
